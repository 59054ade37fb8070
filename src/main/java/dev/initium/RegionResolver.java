package dev.initium;

/** The engine's region of a public {@link Region} in a tensor of a given shape, checked. */
final class RegionResolver {
    private RegionResolver() {
    }

    static dev.initium.tensor.Region resolve(Region region, long[] shape) {
        if (region == null) {
            throw new InvalidArgumentException("region = null: use Region.all() for the whole tensor");
        }
        dev.initium.tensor.Region r = switch (region) {
            case Region.All a -> dev.initium.tensor.Region.all(shape);
            case Region.Flat f -> new dev.initium.tensor.Region.Flat(f.start(), f.end());
            case Region.Box b -> {
                if (b.start().length != shape.length) {
                    throw new InvalidArgumentException("region box has " + b.start().length + " dimensions; the tensor has "
                            + shape.length + " (shape " + java.util.Arrays.toString(shape) + ")");
                }
                yield new dev.initium.tensor.Region.Box(b.start(), b.end());
            }
            case Region.Slice s -> {
                int d = s.dim() < 0 ? shape.length + s.dim() : s.dim();
                if (d < 0 || d >= shape.length) {
                    throw new InvalidArgumentException("region slice of dimension " + s.dim() + ": the tensor has " + shape.length
                            + " dimensions (shape " + java.util.Arrays.toString(shape) + ")");
                }
                long[] start = new long[shape.length];
                long[] end = shape.clone();
                start[d] = s.start();
                end[d] = s.end();
                if (s.start() < 0 || s.end() > shape[d] || s.start() >= s.end()) {
                    throw new InvalidArgumentException("region slice " + s.start() + ":" + s.end() + " of dimension " + d
                            + " is outside 0:" + shape[d] + " (need 0 <= start < end <= " + shape[d] + ")");
                }
                yield new dev.initium.tensor.Region.Box(start, end);
            }
        };
        r.check(shape);
        return r;
    }
}
