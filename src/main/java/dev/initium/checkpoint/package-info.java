/** Internal: a plan written as safetensors shards by one or many ranks; resume, finalize (the index once every shard is complete), verify, progress. */
package dev.initium.checkpoint;
