package dev.initium.backend.cuda;

import dev.initium.InvalidArgumentException;
import java.util.function.Function;

/**
 * The device that {@code --backend cuda} and {@code auto} open when no device number is given.
 *
 * <p>Launchers that start one process per GPU of a node say which GPU a process is for in
 * different ways. torchrun (and {@code torch.distributed.launch}, DeepSpeed, Accelerate) set
 * {@value #LOCAL_RANK}, the process's rank on its node, and leave every GPU visible: each of its N
 * workers would open device 0 if that were the default, so the device is {@value #LOCAL_RANK}.
 * Slurm with {@code --gpus-per-task} and Kubernetes with one GPU per pod instead make one device
 * visible ({@code CUDA_VISIBLE_DEVICES}, the device plugin), so the process sees one device and
 * device 0 is its own; with a single visible device that device is used whatever
 * {@value #LOCAL_RANK} says (a launcher may set both). Without {@value #LOCAL_RANK} the device is 0.
 * A rank that is not a number, or one with no device of its own among several, is an
 * {@link InvalidArgumentException} naming {@value #LOCAL_RANK} and the device count.
 */
final class CudaDeviceChoice {
    /** torchrun's variable: the rank of the process on its node, 0 .. nproc-per-node - 1. */
    static final String LOCAL_RANK = "LOCAL_RANK";

    private CudaDeviceChoice() {
    }

    /**
     * The device ordinal for {@code cuda} without a number, given the process's environment
     * ({@code env}, production: {@link System#getenv(String)}) and the number of devices it sees.
     */
    static int defaultDevice(Function<String, String> env, int devices) {
        String value = env.apply(LOCAL_RANK);
        if (value == null || value.isBlank()) {
            return 0;
        }
        int rank;
        try {
            rank = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(LOCAL_RANK + " = '" + value + "': expected the process's rank on its node (an integer >= 0), "
                    + "as torchrun sets it; or name the device: --backend cuda:N");
        }
        if (rank < 0) {
            throw new InvalidArgumentException(LOCAL_RANK + " = " + rank + ": the rank on a node must be >= 0; or name the device: --backend cuda:N");
        }
        if (devices == 1) {
            return 0;
        }
        if (rank >= devices) {
            throw new InvalidArgumentException(LOCAL_RANK + " = " + rank + " but this process sees " + devices + " CUDA devices"
                    + (devices > 0 ? " (cuda:0 .. cuda:" + (devices - 1) + ")" : "")
                    + ": start at most one process per device on each node (torchrun --nproc-per-node), or name the device: --backend cuda:N");
        }
        return rank;
    }
}
