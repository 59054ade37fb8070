/** Internal: the backend SPI (providers, fill and device backends) and its registry, and the placement of a resolved fill into host or device memory. */
package dev.initium.engine;
