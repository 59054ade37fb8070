package dev.initium.backend.tornadovm;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bit-exactness settings: what is refused, and that bin/tornadovm-java passes exactly them. */
class TornadoVmSettingsTest {

    @Test
    void settingsThatChangeBitsAreRefusedWithTheirName() {
        String fma = TornadoVmSettings.check("tornado.enable.fma", "true", "false");
        assertNotNull(fma);
        assertTrue(fma.contains("tornado.enable.fma=true"), fma);
        assertNull(TornadoVmSettings.check("tornado.enable.fma", "FALSE", "false"));
        String flags = TornadoVmSettings.check("tornado.opencl.compiler.flags", "-cl-mad-enable -w", TornadoVmSettings.OPENCL_FLAGS);
        assertNotNull(flags);
        assertTrue(flags.contains("-cl-mad-enable"), flags);
        assertNotNull(TornadoVmSettings.check("tornado.opencl.compiler.flags", "-cl-fast-relaxed-math", TornadoVmSettings.OPENCL_FLAGS));
        assertNull(TornadoVmSettings.check("tornado.opencl.compiler.flags", "-cl-fp32-correctly-rounded-divide-sqrt", TornadoVmSettings.OPENCL_FLAGS));
        assertNotNull(TornadoVmSettings.check("tornado.recover.bailout", "true", "false"));
    }

    @Test
    void theLauncherScriptPassesEveryRequiredSetting() throws Exception {
        String script = Files.readString(Path.of("bin", "tornadovm-java"));
        for (Map.Entry<String, String> e : TornadoVmSettings.required().entrySet()) {
            String flag = "-D" + e.getKey() + "=" + e.getValue();
            assertTrue(script.contains(flag), () -> "bin/tornadovm-java lacks " + flag);
        }
        assertTrue(script.contains("@\"$argfile\""), "bin/tornadovm-java does not use TornadoVM's argfile");
    }
}
