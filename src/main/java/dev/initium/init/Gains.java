package dev.initium.init;

import dev.initium.InvalidArgumentException;

/**
 * {@code calculate_gain}, with PyTorch's values ({@code torch.nn.init.calculate_gain}):
 * <pre>
 * nonlinearity                          gain
 * linear, conv{1,2,3}d,
 * conv_transpose{1,2,3}d, sigmoid       1
 * tanh                                  5/3
 * relu                                  sqrt(2)
 * leaky_relu(negative_slope = 0.01)     sqrt(2 / (1 + negative_slope^2))
 * selu                                  3/4
 * </pre>
 */
public final class Gains {
    private Gains() {
    }

    /** The recommended gain of {@code nonlinearity}; {@code param} is leaky_relu's negative slope (null: 0.01). */
    public static double calculate(String nonlinearity, Double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new InvalidArgumentException("nonlinearity '" + nonlinearity + "' is unknown: valid are linear, conv1d, conv2d, conv3d, "
                    + "conv_transpose1d, conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, leaky_relu, selu");
        };
    }
}
