package dev.initium.model;

import dev.initium.InvalidArgumentException;
import dev.initium.DType;
import dev.initium.init.Initializer;
import dev.initium.Layout;
import dev.initium.init.ParamSpec;
import dev.initium.init.Scheme;
import dev.initium.init.Schemes;
import dev.initium.init.TensorFill;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which initializer each parameter of a model gets: the architecture's own default (as transformers'
 * {@code _init_weights}), replaced by a scheme set ({@code megatron}, {@code olmo-mitchell},
 * {@code mup:width_mult=M}) and by group overrides ({@code PATTERN=SCHEME[:k=v,...]}, PATTERN a
 * substring of the parameter name, or a glob with {@code *}; the last matching override wins).
 *
 * <p>Model context fills the parameters a scheme has and the user did not give: {@code num_layers},
 * {@code d} (the hidden size), {@code layer_id} (the layer of an output projection), and
 * {@code std} (initializer_range) for the normal-type schemes.
 */
public final class ModelInit {
    /** The scheme sets {@code --init} accepts. */
    public static final List<String> SETS = List.of("default", "megatron", "olmo-mitchell", "mup");

    private final String set;
    private final Map<String, String> setParams;
    private final List<GroupOverride> overrides;
    private final Layout layout = Layout.TORCH;

    private record GroupOverride(String pattern, String scheme, Map<String, String> params) {
        boolean matches(String name) {
            if (!pattern.contains("*")) {
                return name.contains(pattern);
            }
            String regex = ("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q");
            return name.matches(regex);
        }
    }

    private ModelInit(String set, Map<String, String> setParams, List<GroupOverride> overrides) {
        this.set = set;
        this.setParams = setParams;
        this.overrides = overrides;
    }

    /** Parses the {@code --init} values: at most one scheme set, and any number of PATTERN=SCHEME overrides. */
    public static ModelInit parse(List<String> inits) {
        String set = "default";
        Map<String, String> setParams = Map.of();
        List<GroupOverride> overrides = new ArrayList<>();
        for (String raw : inits == null ? List.<String>of() : inits) {
            String v = raw.trim();
            int eq = v.indexOf('=');
            int colon = v.indexOf(':');
            if (eq < 0 || (colon >= 0 && colon < eq)) {
                String name = colon < 0 ? v : v.substring(0, colon);
                if (!SETS.contains(name)) {
                    throw new InvalidArgumentException("--init '" + raw + "': '" + name + "' is not a scheme set (valid: "
                            + String.join(", ", SETS) + "); to set a group, write PATTERN=SCHEME, e.g. mlp.down_proj=scaled_normal");
                }
                if (!set.equals("default")) {
                    throw new InvalidArgumentException("--init: only one scheme set may be given (" + set + " and " + name + ")");
                }
                set = name;
                setParams = colon < 0 ? Map.of() : keyValues(v.substring(colon + 1), raw);
                continue;
            }
            String pattern = v.substring(0, eq).trim();
            String rest = v.substring(eq + 1).trim();
            int c = rest.indexOf(':');
            String scheme = c < 0 ? rest : rest.substring(0, c);
            Map<String, String> params = c < 0 ? Map.of() : keyValues(rest.substring(c + 1), raw);
            if (pattern.isEmpty()) {
                throw new InvalidArgumentException("--init '" + raw + "': empty parameter pattern");
            }
            Scheme s = Schemes.find(scheme);
            overrides.add(new GroupOverride(pattern, s.name(), params));
        }
        if (set.equals("mup") && !setParams.containsKey("width_mult")) {
            throw new InvalidArgumentException("--init mup needs the width multiplier: --init mup:width_mult=M");
        }
        return new ModelInit(set, setParams, overrides);
    }

    private static Map<String, String> keyValues(String text, String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : text.split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int e = kv.indexOf('=');
            if (e <= 0) {
                throw new InvalidArgumentException("--init '" + raw + "': expected k=v parameters after ':'");
            }
            out.put(kv.substring(0, e).trim(), kv.substring(e + 1).trim());
        }
        return out;
    }

    /** The model-wide values the schemes may need. */
    public record Context(int numLayers, long hidden, double initializerRange) {
    }

    /**
     * The initializer of parameter {@code name} with {@code role} in {@code layer}: override, else scheme
     * set, else the architecture default {@code fallback} (scheme and params); {@code paddingIdx}
     * (or null) zeroes an embedding row under the architecture default, as transformers does.
     */
    Initializer initializer(String name, ParamRole role, int layer, Context ctx, String fallback, Map<String, String> fallbackParams, Long paddingIdx) {
        return initializer(name, role, layer, ctx, fallback, fallbackParams, paddingIdx, Layout.TORCH);
    }

    Initializer initializer(String name, ParamRole role, int layer, Context ctx, String fallback, Map<String, String> fallbackParams,
                            Long paddingIdx, Layout fallbackLayout) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
            GroupOverride o = overrides.get(i);
            if (o.matches(name)) {
                return create(o.scheme, o.params, role, layer, ctx);
            }
        }
        String[] bySet = role == null ? null : fromSet(role);
        if (bySet != null) {
            Map<String, String> p = new HashMap<>(setParams);
            if (bySet.length > 1) {
                p.put(bySet[1], bySet[2]);
            }
            return create(bySet[0], p, role, layer, ctx);
        }
        Initializer base = create(fallback, fallbackParams, role, layer, ctx, fallbackLayout);
        return paddingIdx == null ? base : new Padded(base, paddingIdx);
    }

    /** The scheme (and one extra parameter) a set gives a role, or null for the architecture default. */
    private String[] fromSet(ParamRole role) {
        return switch (set) {
            case "megatron" -> switch (role) {
                case EMBEDDING, POSITION_EMBEDDING, LINEAR, LM_HEAD -> new String[] {"megatron_normal"};
                case OUTPUT_PROJECTION -> new String[] {"megatron_scaled_normal"};
                default -> null;
            };
            case "olmo-mitchell" -> switch (role) {
                case LINEAR, OUTPUT_PROJECTION -> new String[] {"olmo_mitchell"};
                case EMBEDDING, POSITION_EMBEDDING, LM_HEAD -> new String[] {"olmo_mitchell", "d", "hidden"};
                default -> null;
            };
            case "mup" -> switch (role) {
                case EMBEDDING, POSITION_EMBEDDING -> new String[] {"mup", "role", "input"};
                case LINEAR, OUTPUT_PROJECTION -> new String[] {"mup", "role", "hidden"};
                case LM_HEAD -> new String[] {"mup", "role", "output"};
                default -> null;
            };
            default -> null;
        };
    }

    private Initializer create(String scheme, Map<String, String> given, ParamRole role, int layer, Context ctx) {
        return create(scheme, given, role, layer, ctx, layout);
    }

    private Initializer create(String scheme, Map<String, String> given, ParamRole role, int layer, Context ctx, Layout useLayout) {
        Scheme s = Schemes.find(scheme);
        Map<String, String> p = new LinkedHashMap<>(given);
        if ("hidden".equals(p.get("d"))) {
            p.put("d", String.valueOf(ctx.hidden()));
        }
        List<String> names = s.params().stream().map(ParamSpec::name).toList();
        if (names.contains("num_layers") && !p.containsKey("num_layers") && ctx.numLayers() > 0) {
            p.put("num_layers", String.valueOf(ctx.numLayers()));
        }
        if (names.contains("std") && !p.containsKey("std") && normalType(s.name()) && ctx.initializerRange() > 0) {
            p.put("std", String.valueOf(ctx.initializerRange()));
        }
        if (names.contains("layer_id") && !p.containsKey("layer_id") && role == ParamRole.OUTPUT_PROJECTION && layer >= 0) {
            p.put("layer_id", String.valueOf(layer));
        }
        return Schemes.create(s.name(), p, useLayout);
    }

    private static boolean normalType(String scheme) {
        return switch (scheme) {
            case "normal", "megatron_normal", "megatron_scaled_normal", "mup" -> true;
            default -> false;
        };
    }

    /** The scheme set's description for metadata. */
    public String describe() {
        return set + (setParams.isEmpty() ? "" : setParams.toString().toLowerCase(Locale.ROOT));
    }

    /** An architecture-default embedding initializer with a zero padding row. */
    private record Padded(Initializer inner, long paddingIdx) implements Initializer {
        @Override
        public String scheme() {
            return inner.scheme();
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>(inner.parameters());
            p.put("padding_idx", String.valueOf(paddingIdx));
            return p;
        }

        @Override
        public TensorFill resolve(long[] shape, DType dtype) {
            TensorFill f = inner.resolve(shape, dtype);
            if (!(f instanceof TensorFill.Elementwise e)) {
                return f;
            }
            if (paddingIdx < 0 || paddingIdx >= shape[0]) {
                throw new InvalidArgumentException("pad_token_id = " + paddingIdx + " is outside the embedding's " + shape[0] + " rows");
            }
            return TensorFill.Elementwise.withZeroRow(e.distribution(), shape, paddingIdx);
        }

        @Override
        public String identity(long[] shape, DType dtype) {
            String id = inner.identity(shape, dtype);
            return inner.resolve(shape, dtype) instanceof TensorFill.Elementwise ? id + " with row " + paddingIdx + " zeroed" : id;
        }
    }
}
