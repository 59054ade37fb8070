package dev.initium.checkpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which files each rank writes: a disjoint, byte-balanced partition of the shards (longest
 * processing time first: largest file to the least-loaded rank, ties to the lower rank), a pure
 * function of the layout and the world size, so every rank computes the same assignment.
 */
public final class RankAssignment {
    private RankAssignment() {
    }

    /** The shards of {@code rank} among {@code worldSize}, in file order. */
    public static List<ShardLayout.Shard> of(List<ShardLayout.Shard> shards, int rank, int worldSize) {
        List<ShardLayout.Shard> bySize = new ArrayList<>(shards);
        bySize.sort(Comparator.comparingLong(ShardLayout.Shard::fileBytes).reversed().thenComparingInt(ShardLayout.Shard::index));
        long[] load = new long[worldSize];
        int[] owner = new int[shards.size()];
        for (ShardLayout.Shard s : bySize) {
            int best = 0;
            for (int r = 1; r < worldSize; r++) {
                if (load[r] < load[best]) {
                    best = r;
                }
            }
            owner[s.index()] = best;
            load[best] += s.fileBytes();
        }
        List<ShardLayout.Shard> mine = new ArrayList<>();
        for (ShardLayout.Shard s : shards) {
            if (owner[s.index()] == rank) {
                mine.add(s);
            }
        }
        return mine;
    }
}
