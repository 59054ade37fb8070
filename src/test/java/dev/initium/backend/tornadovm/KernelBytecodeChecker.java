package dev.initium.backend.tornadovm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Reads the bytecode of every method reachable from some roots (static calls into
 * {@code dev/initium/}, followed transitively) and lists what TornadoVM cannot compile into a
 * kernel or would compile into other bits: {@code >>>} ({@code iushr} is emitted as an arithmetic
 * shift; {@code lushr} is refused too, to be safe), float-to-long conversion (emitted as a
 * conversion to int, found by the profile's device probe), allocation, exceptions ({@code athrow}, and
 * integer division, which throws on zero), virtual, interface, special and dynamic calls, field
 * and array access and object constants (the core works on primitives only), recursion, and static
 * calls outside Initium other than the few TornadoVM maps to exact OpenCL built-ins
 * ({@code Math.sqrt(double)}, {@code Math.abs(float)}, {@code Integer.bitCount}); among those refused,
 * {@code Float.floatToRawIntBits}/{@code intBitsToFloat}/{@code floatToIntBits} (unimplemented in
 * TornadoVM kernels), {@code Math.multiplyHigh} (same), {@code Math.fma} and
 * {@code Math.log/sin/cos/exp} (not the reference's functions) are named as such.
 *
 * <p>A kernel class itself may in addition use TornadoVM's API, which TornadoVM intrinsifies: the
 * {@code get}/{@code set} of its native arrays and {@code KernelContext}'s thread indices.
 */
final class KernelBytecodeChecker {
    /** A method: owner (internal name), name, descriptor. */
    record MethodRef(String owner, String name, String desc) {
        @Override
        public String toString() {
            return owner.substring(owner.lastIndexOf('/') + 1) + "." + name + desc;
        }
    }

    /** The result of a walk: the methods visited, and the problems found. */
    record Report(Set<MethodRef> visited, List<String> problems) {
    }

    private static final Set<String> ALLOWED_STATICS = Set.of(
            "java/lang/Math.sqrt(D)D", "java/lang/Math.abs(F)F", "java/lang/Integer.bitCount(I)I");
    private static final Map<String, String> NAMED = Map.of(
            "java/lang/Float.floatToRawIntBits", "float bit reinterpretation is not implemented in TornadoVM kernels",
            "java/lang/Float.floatToIntBits", "float bit reinterpretation is not implemented in TornadoVM kernels",
            "java/lang/Float.intBitsToFloat", "float bit reinterpretation is not implemented in TornadoVM kernels",
            "java/lang/Math.multiplyHigh", "Math.multiplyHigh is not implemented in TornadoVM kernels",
            "java/lang/Math.fma", "Math.fma is not the reference's arithmetic",
            "java/lang/Math.log", "Math.log is not the reference's logarithm (PortableMath.log is)",
            "java/lang/Math.sin", "Math.sin maps to the device's sin, not the reference's polynomial",
            "java/lang/Math.cos", "Math.cos maps to the device's cos, not the reference's polynomial",
            "java/lang/Math.exp", "Math.exp is not portable");
    private static final String TORNADO_API = "uk/ac/manchester/tornado/api/";

    private KernelBytecodeChecker() {
    }

    /** Walks from {@code roots}; methods of {@code kernelOwner} (may be null) may use TornadoVM's API. */
    static Report walk(List<MethodRef> roots, String kernelOwner) {
        Set<MethodRef> visited = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (MethodRef root : roots) {
            visit(root, kernelOwner, visited, new ArrayDeque<>(), problems);
        }
        return new Report(visited, problems);
    }

    /** Every method {@code owner} declares with {@code name} (any descriptor), as roots. */
    static List<MethodRef> methods(Class<?> owner, String... names) {
        List<MethodRef> out = new ArrayList<>();
        String internal = Type.getInternalName(owner);
        Set<String> wanted = Set.of(names);
        read(internal).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                if (wanted.contains(name)) {
                    out.add(new MethodRef(internal, name, desc));
                }
                return null;
            }
        }, ClassReader.SKIP_DEBUG);
        if (out.size() < wanted.size()) {
            throw new IllegalArgumentException(owner + " lacks some of " + wanted + " (found " + out + ")");
        }
        return out;
    }

    private static void visit(MethodRef m, String kernelOwner, Set<MethodRef> visited, Deque<MethodRef> stack, List<String> problems) {
        if (stack.contains(m)) {
            problems.add(m + ": recursion (TornadoVM inlines every call)");
            return;
        }
        if (!visited.add(m)) {
            return;
        }
        stack.push(m);
        boolean kernel = m.owner().equals(kernelOwner);
        List<MethodRef> callees = new ArrayList<>();
        boolean[] found = {false};
        read(m.owner()).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                if (!name.equals(m.name()) || !desc.equals(m.desc())) {
                    return null;
                }
                found[0] = true;
                return new Inspector(m, kernel, callees, problems);
            }
        }, 0);
        if (!found[0]) {
            problems.add(m + ": not found");
        }
        for (MethodRef c : callees) {
            visit(c, kernelOwner, visited, stack, problems);
        }
        stack.pop();
    }

    private static ClassReader read(String internalName) {
        try (InputStream in = KernelBytecodeChecker.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                throw new IllegalArgumentException("no class file for " + internalName);
            }
            return new ClassReader(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rules, applied to one method's instructions. */
    private static final class Inspector extends MethodVisitor {
        private final MethodRef m;
        private final boolean kernel;
        private final List<MethodRef> callees;
        private final List<String> problems;
        private int line = -1;

        Inspector(MethodRef m, boolean kernel, List<MethodRef> callees, List<String> problems) {
            super(Opcodes.ASM9);
            this.m = m;
            this.kernel = kernel;
            this.callees = callees;
            this.problems = problems;
        }

        private void problem(String what) {
            problems.add(m + (line >= 0 ? " line " + line : "") + ": " + what);
        }

        @Override
        public void visitLineNumber(int l, org.objectweb.asm.Label start) {
            line = l;
        }

        @Override
        public void visitInsn(int op) {
            switch (op) {
                case Opcodes.IUSHR -> problem("iushr (int >>>), which TornadoVM emits as an arithmetic shift: use (x >> k) & mask");
                case Opcodes.LUSHR -> problem("lushr (long >>>): use (x >> k) & mask");
                case Opcodes.ATHROW -> problem("throws an exception");
                case Opcodes.F2L, Opcodes.D2L -> problem("float-to-long conversion, which TornadoVM 5.2 emits as a conversion to int");
                case Opcodes.IDIV, Opcodes.IREM, Opcodes.LDIV, Opcodes.LREM -> problem("integer division, which throws on zero");
                case Opcodes.MONITORENTER, Opcodes.MONITOREXIT -> problem("synchronisation");
                case Opcodes.IALOAD, Opcodes.LALOAD, Opcodes.FALOAD, Opcodes.DALOAD, Opcodes.AALOAD, Opcodes.BALOAD, Opcodes.CALOAD,
                     Opcodes.SALOAD, Opcodes.IASTORE, Opcodes.LASTORE, Opcodes.FASTORE, Opcodes.DASTORE, Opcodes.AASTORE,
                     Opcodes.BASTORE, Opcodes.CASTORE, Opcodes.SASTORE, Opcodes.ARRAYLENGTH ->
                        problem("Java array access (kernel data lives in TornadoVM arrays; the core works on primitives)");
                default -> {
                }
            }
        }

        @Override
        public void visitIntInsn(int op, int operand) {
            if (op == Opcodes.NEWARRAY) {
                problem("allocates an array");
            }
        }

        @Override
        public void visitTypeInsn(int op, String type) {
            switch (op) {
                case Opcodes.NEW -> problem("allocates a " + type);
                case Opcodes.ANEWARRAY -> problem("allocates an array of " + type);
                default -> problem("type test or cast (" + type + ")");
            }
        }

        @Override
        public void visitMultiANewArrayInsn(String desc, int dims) {
            problem("allocates an array " + desc);
        }

        @Override
        public void visitFieldInsn(int op, String owner, String name, String desc) {
            if (kernel && op == Opcodes.GETFIELD && owner.equals(TORNADO_API + "KernelContext")) {
                return;
            }
            problem("field access " + owner + "." + name + " (the core takes everything as arguments; constants are inlined)");
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (!(value instanceof Number)) {
                problem("object constant " + value);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
            problem("invokedynamic " + name + " (lambda, string concatenation or switch on objects)");
        }

        @Override
        public void visitMethodInsn(int op, String owner, String name, String desc, boolean itf) {
            String key = owner + "." + name;
            if (kernel && owner.startsWith(TORNADO_API) && op == Opcodes.INVOKEVIRTUAL) {
                return;
            }
            if (kernel && op == Opcodes.INVOKEVIRTUAL && key.equals("java/lang/Integer.intValue")) {
                return;
            }
            if (op != Opcodes.INVOKESTATIC) {
                String kind = switch (op) {
                    case Opcodes.INVOKEINTERFACE -> "interface call";
                    case Opcodes.INVOKESPECIAL -> "constructor or special call";
                    default -> "virtual call";
                };
                problem(kind + " " + owner + "." + name + desc);
                return;
            }
            if (owner.startsWith("dev/initium/")) {
                callees.add(new MethodRef(owner, name, desc));
            } else if (NAMED.containsKey(key)) {
                problem("calls " + key + desc + ": " + NAMED.get(key));
            } else if (!ALLOWED_STATICS.contains(key + desc)) {
                problem("calls " + key + desc + ", which TornadoVM does not map to an exact built-in");
            }
        }
    }
}
