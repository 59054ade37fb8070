package dev.initium.init;

import dev.initium.Layout;
import dev.initium.DType;
import java.util.List;

/**
 * A named initialization scheme: its parameters, its formula and source, and how it resolves.
 *
 * @param name     canonical name
 * @param aliases  other names users know it by
 * @param params   its parameters (fan-based schemes also take fan_in, fan_out, in_axis, out_axis, batch_axis)
 * @param formula  one line: formula, convention, source
 * @param resolver what the scheme computes for a shape
 */
public record Scheme(String name, List<String> aliases, List<ParamSpec> params, String formula, Resolver resolver) {

    /** Resolves a scheme for one tensor. */
    @FunctionalInterface
    public interface Resolver {
        TensorFill resolve(Params params, Layout layout, FanConvention fans, long[] shape, DType dtype);
    }
}
