package dev.initium.checkpoint;

import dev.initium.InvalidArgumentException;
import java.util.Map;

/**
 * This process's rank and the world size: from {@code --rank/--world-size}, else from the launcher's
 * environment: torchrun ({@code RANK}, {@code WORLD_SIZE}), Slurm ({@code SLURM_PROCID},
 * {@code SLURM_NTASKS}), Kubernetes Indexed Jobs ({@code JOB_COMPLETION_INDEX}, with the world size
 * given on the command line); else a single process. No coordination is needed between ranks: the
 * counter design makes every file a function of the plan alone.
 *
 * <p>A launcher environment given by halves ({@code RANK} without {@code WORLD_SIZE} or the other
 * way round, {@code SLURM_PROCID} without {@code SLURM_NTASKS}) is refused rather than read as a
 * single process: on a cluster every rank would otherwise write the whole model. A
 * {@code --world-size} given without {@code --rank} beside a launcher's world size must agree with
 * it (else one of the two is wrong, and which one is a guess); {@code --rank} with
 * {@code --world-size} overrides the launcher (rerunning a failed rank inside an allocation).
 *
 * @param rank      0-based rank
 * @param worldSize number of processes
 * @param source    where the values came from, for the summary
 */
public record ClusterEnv(int rank, int worldSize, String source) {

    public static ClusterEnv resolve(Integer rank, Integer worldSize, Map<String, String> env) {
        if (rank != null) {
            if (worldSize == null) {
                throw new InvalidArgumentException("--rank needs --world-size");
            }
            return check(rank, worldSize, "--rank/--world-size");
        }
        requireBoth(env, "RANK", "WORLD_SIZE", "torchrun");
        if (env.containsKey("RANK") && env.containsKey("WORLD_SIZE")) {
            return check(parse(env, "RANK"), agree(worldSize, env, "WORLD_SIZE", "torchrun"), "torchrun (RANK, WORLD_SIZE)");
        }
        if (env.containsKey("SLURM_PROCID") && !env.containsKey("SLURM_NTASKS")) {
            throw new InvalidArgumentException("environment variable SLURM_PROCID is set but SLURM_NTASKS is not (Slurm): "
                    + "export both, or give --rank and --world-size");
        }
        if (env.containsKey("SLURM_PROCID") && env.containsKey("SLURM_NTASKS")) {
            return check(parse(env, "SLURM_PROCID"), agree(worldSize, env, "SLURM_NTASKS", "Slurm"), "Slurm (SLURM_PROCID, SLURM_NTASKS)");
        }
        if (env.containsKey("JOB_COMPLETION_INDEX")) {
            if (worldSize == null) {
                throw new InvalidArgumentException("JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job): give the job's completions with --world-size");
            }
            return check(parse(env, "JOB_COMPLETION_INDEX"), worldSize, "Kubernetes (JOB_COMPLETION_INDEX, --world-size)");
        }
        if (worldSize != null && worldSize != 1) {
            throw new InvalidArgumentException("--world-size " + worldSize + " needs --rank, or a launcher environment "
                    + "(RANK/WORLD_SIZE, SLURM_PROCID/SLURM_NTASKS, JOB_COMPLETION_INDEX)");
        }
        return new ClusterEnv(0, 1, "single process");
    }

    /** Both or neither of a launcher's two variables. */
    private static void requireBoth(Map<String, String> env, String a, String b, String launcher) {
        if (env.containsKey(a) != env.containsKey(b)) {
            String set = env.containsKey(a) ? a : b;
            String missing = env.containsKey(a) ? b : a;
            throw new InvalidArgumentException("environment variable " + set + " is set but " + missing + " is not (" + launcher
                    + "): export both, or give --rank and --world-size");
        }
    }

    /** The launcher's world size {@code variable}; a {@code --world-size} given beside it must be the same. */
    private static int agree(Integer worldSize, Map<String, String> env, String variable, String launcher) {
        int fromEnv = parse(env, variable);
        if (worldSize != null && worldSize != fromEnv) {
            throw new InvalidArgumentException("--world-size " + worldSize + " disagrees with " + variable + "=" + fromEnv + " (" + launcher
                    + "): drop --world-size, or give --rank too to override the launcher");
        }
        return fromEnv;
    }

    private static int parse(Map<String, String> env, String name) {
        try {
            return Integer.parseInt(env.get(name).trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("environment variable " + name + " = '" + env.get(name) + "': not an integer");
        }
    }

    private static ClusterEnv check(int rank, int world, String source) {
        if (world < 1) {
            throw new InvalidArgumentException("world size = " + world + " (" + source + "): must be >= 1");
        }
        if (rank < 0 || rank >= world) {
            throw new InvalidArgumentException("rank = " + rank + " (" + source + "): must lie in [0, " + world + ")");
        }
        return new ClusterEnv(rank, world, source);
    }
}
