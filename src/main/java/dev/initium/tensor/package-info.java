/** Internal: regions (flat ranges, boxes) of a tensor and shape arithmetic. */
package dev.initium.tensor;
