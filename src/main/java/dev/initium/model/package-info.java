/** Internal: Hugging Face configs and Initium model specs turned into a plan of tensors. */
package dev.initium.model;
