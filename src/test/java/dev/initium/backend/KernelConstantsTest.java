package dev.initium.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.initium.dist.PortableMath;
import dev.initium.dist.TransformParams;
import dev.initium.dist.Transforms;
import dev.initium.rng.Philox4x32;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every constant appears once per language (Java and the kernel header), and the two copies agree. Each
 * {@code #define INITIUM_X} of kernels/initium_constants.h equals the Java field X, bit for bit,
 * and every numeric constant of the Java classes has its C twin.
 */
class KernelConstantsTest {
    private static final Class<?>[] OWNERS = {Philox4x32.class, PortableMath.class, Transforms.class, KernelSource.class};
    private static final Pattern DEFINE = Pattern.compile("(?m)^#define\\s+INITIUM_(\\w+)\\s+(\\S+)\\s*$");

    @Test
    void headerAndJavaConstantsAgree() throws Exception {
        String header = new String(KernelSource.resource("initium_constants.h"), StandardCharsets.US_ASCII);
        Map<String, String> c = new HashMap<>();
        Matcher m = DEFINE.matcher(header);
        while (m.find()) {
            c.put(m.group(1), m.group(2));
        }
        int compared = 0;
        for (Class<?> owner : OWNERS) {
            for (Field f : owner.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isStatic(mod) || !Modifier.isFinal(mod) || !Modifier.isPublic(mod)
                        || !(f.getType() == int.class || f.getType() == float.class)) {
                    continue;
                }
                String text = c.get(f.getName());
                if (text == null) {
                    fail(owner.getSimpleName() + "." + f.getName() + " has no INITIUM_" + f.getName() + " in initium_constants.h");
                }
                if (f.getType() == float.class) {
                    float java = f.getFloat(null);
                    float kernel = Float.parseFloat(text.replaceAll("[fF]$", ""));
                    assertEquals(Float.floatToRawIntBits(java), Float.floatToRawIntBits(kernel), f.getName() + ": " + java + " vs " + text);
                } else {
                    int java = f.getInt(null);
                    String digits = text.replaceAll("[uU]$", "");
                    int kernel = digits.startsWith("0x") ? Integer.parseUnsignedInt(digits.substring(2), 16) : Integer.parseInt(digits);
                    assertEquals(java, kernel, f.getName());
                }
                compared++;
            }
        }
        for (TransformParams.Kind kind : TransformParams.Kind.values()) {
            String name = "KIND_" + kind.name();
            assertEquals(String.valueOf(kind.code()), c.get(name), name);
            compared++;
        }
        assertTrue(compared >= 40, "compared " + compared + " constants");
    }
}
