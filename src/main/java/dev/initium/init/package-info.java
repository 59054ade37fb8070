/** Internal: schemes, fans, gains, variance scaling and the structured fills (sparse, orthogonal); what an initializer resolves to for a tensor. */
package dev.initium.init;
