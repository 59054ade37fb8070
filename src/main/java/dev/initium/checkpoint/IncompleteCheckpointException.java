package dev.initium.checkpoint;

import dev.initium.InitiumException;
import java.util.List;

/**
 * The checkpoint is not complete: some shards of the plan are missing, half-written or of another
 * plan when {@link Finalizer} gives up waiting. Neither bad input nor an I/O error: a rank is still
 * writing, failed, or ran with other settings. The CLI exits with its own code (4).
 */
public final class IncompleteCheckpointException extends InitiumException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> incomplete;

    IncompleteCheckpointException(String message, List<String> incomplete) {
        super(message);
        this.incomplete = List.copyOf(incomplete);
    }

    /** The shard files that are not complete, each with why ("model-00002-of-00004.safetensors (missing)"). */
    public List<String> incomplete() {
        return incomplete;
    }
}
