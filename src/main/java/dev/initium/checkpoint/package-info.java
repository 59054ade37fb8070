/** Internal: a plan written as safetensors shards by one or many ranks; resume, verify, progress. */
package dev.initium.checkpoint;
