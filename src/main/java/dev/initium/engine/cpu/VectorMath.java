package dev.initium.engine.cpu;

import static dev.initium.dist.PortableMath.*;

import dev.initium.dist.Transforms;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise twins of {@link dev.initium.dist.PortableMath} and {@link Transforms}: the same
 * operations in the same order, so each lane equals the scalar reference bit for bit. Each method
 * returns one vector and stays well below C2's inlining limit, so the result is never boxed.
 */
final class VectorMath {
    private VectorMath() {
    }

    /** m > SQRT2_SIGNIFICAND * 2^-23 exactly when the significand exceeds SQRT2_SIGNIFICAND. */
    private static final float SQRT2_MANTISSA = SQRT2_SIGNIFICAND * 0x1p-23f;

    /**
     * {@link dev.initium.dist.PortableMath#log}; the exponent and significand come from the float
     * bits. The normalisation is decided on the float m (exact: m = significand 2^-23), so every
     * mask is a float mask: masks cast between int and float lanes are not intrinsified on JDK 25.
     */
    static FloatVector log(FloatVector x) {
        IntVector bits = x.viewAsIntegralLanes();
        IntVector significand = bits.and(0x7FFFFF).or(0x800000);
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xFF).sub(127);
        FloatVector m = ((FloatVector) significand.convert(VectorOperators.I2F, 0)).mul(0x1p-23f);
        VectorMask<Float> high = m.compare(VectorOperators.GT, SQRT2_MANTISSA);
        m = m.blend(m.mul(0.5f), high);
        FloatVector fe = (FloatVector) e.convert(VectorOperators.I2F, 0);
        fe = fe.blend(fe.add(1.0f), high);
        FloatVector s = m.sub(1.0f).div(m.add(1.0f));
        FloatVector s2 = s.mul(s);
        FloatVector poly = s2.mul(ATANH_C9).add(ATANH_C7).mul(s2).add(ATANH_C5).mul(s2).add(ATANH_C3);
        FloatVector lnm = s.mul(2.0f).add(s.mul(s2.mul(poly)));
        return fe.mul(LN2_HI).add(fe.mul(LN2_LO).add(lnm));
    }

    /** {@link dev.initium.dist.PortableMath#sinReduced}. */
    static FloatVector sinReduced(FloatVector phi) {
        FloatVector s2 = phi.mul(phi);
        FloatVector p = s2.mul(SIN_C9).sub(SIN_C7).mul(s2).add(SIN_C5).mul(s2).sub(SIN_C3);
        return phi.add(phi.mul(s2.mul(p)));
    }

    /** {@link dev.initium.dist.PortableMath#cosReduced}. */
    static FloatVector cosReduced(FloatVector phi) {
        FloatVector s2 = phi.mul(phi);
        FloatVector q = s2.mul(COS_C10).neg().add(COS_C8).mul(s2).sub(COS_C6).mul(s2).add(COS_C4);
        FloatVector one = FloatVector.broadcast(phi.species(), 1.0f);
        return one.sub(s2.mul(0.5f)).add(s2.mul(s2).mul(q));
    }

    /** {@link Transforms#radius}. */
    static FloatVector radius(IntVector w) {
        IntVector n = w.lanewise(VectorOperators.LSHR, 1).or(1);
        FloatVector u = ((FloatVector) n.convert(VectorOperators.I2F, 0)).mul(0x1p-31f);
        FloatVector zero = FloatVector.zero(u.species());
        return zero.sub(log(u)).mul(2.0f).sqrt();
    }

    /** {@link Transforms#reducedAngle}. */
    static FloatVector reducedAngle(IntVector w) {
        IntVector r = w.add(0x20000000).and(0x3FFFFFFF).sub(0x20000000);
        return ((FloatVector) r.convert(VectorOperators.I2F, 0)).mul(Transforms.PI_OVER_2P31);
    }

    /** {@link Transforms#quadrant}. */
    static IntVector quadrant(IntVector w) {
        return w.add(0x20000000).lanewise(VectorOperators.LSHR, 30).and(3);
    }

    /**
     * {@link Transforms#cosTurn} ({@code sine == false}) or {@link Transforms#sinTurn}, from the
     * reduced cosine {@code c}, sine {@code s} and quadrant {@code q}: the choice between c and s is
     * an int blend of their bits and the negation flips the sign bit, exactly what unary minus does.
     */
    static FloatVector turn(FloatVector c, FloatVector s, IntVector q, boolean sine) {
        IntVector cBits = c.viewAsIntegralLanes();
        IntVector sBits = s.viewAsIntegralLanes();
        VectorMask<Integer> swap = q.and(1).compare(VectorOperators.NE, 0);
        IntVector base = sine ? sBits.blend(cBits, swap) : cBits.blend(sBits, swap);
        IntVector negate = (sine ? q : q.add(1)).and(2).lanewise(VectorOperators.LSHL, 30);
        return base.lanewise(VectorOperators.XOR, negate).viewAsFloatingLanes();
    }

    /** The central branch of {@link dev.initium.dist.PortableMath#normalQuantileLower}: t P(v)/Q(v). */
    static FloatVector centralQuantile(FloatVector p) {
        FloatVector t = p.sub(0.5f);
        FloatVector v = FloatVector.broadcast(p.species(), QUANTILE_CENTRAL_V0).sub(t.mul(t));
        FloatVector num = v.mul(QUANTILE_CENTRAL_P4).add(QUANTILE_CENTRAL_P3).mul(v).add(QUANTILE_CENTRAL_P2).mul(v)
                .add(QUANTILE_CENTRAL_P1).mul(v).add(QUANTILE_CENTRAL_P0);
        FloatVector den = v.mul(QUANTILE_CENTRAL_Q3).add(QUANTILE_CENTRAL_Q2).mul(v).add(QUANTILE_CENTRAL_Q1).mul(v).add(1.0f);
        return t.mul(num.div(den));
    }

    /** The tail variable of {@link dev.initium.dist.PortableMath#normalQuantileLower}: sqrt(-ln p). */
    static FloatVector tailRoot(FloatVector p) {
        return FloatVector.zero(p.species()).sub(log(p)).sqrt();
    }

    /** The tail branch of {@link dev.initium.dist.PortableMath#normalQuantileLower} from r = sqrt(-ln p): -P(x)/Q(x). */
    static FloatVector tailQuantile(FloatVector r) {
        FloatVector x = r.sub(QUANTILE_TAIL_SHIFT);
        FloatVector num = x.mul(QUANTILE_TAIL_P4).add(QUANTILE_TAIL_P3).mul(x).add(QUANTILE_TAIL_P2).mul(x)
                .add(QUANTILE_TAIL_P1).mul(x).add(QUANTILE_TAIL_P0);
        FloatVector den = x.mul(QUANTILE_TAIL_Q3).add(QUANTILE_TAIL_Q2).mul(x).add(QUANTILE_TAIL_Q1).mul(x).add(1.0f);
        return num.div(den).neg();
    }

    /**
     * The first half of {@link Transforms#truncatedStandardNormal}: the probability to invert,
     * min(p, q), negated when it is q.
     */
    static FloatVector truncatedProbability(IntVector w, float pa, float qb, float d) {
        IntVector k2 = w.lanewise(VectorOperators.LSHR, 9).and(0x7FFFFF).lanewise(VectorOperators.LSHL, 1);
        FloatVector u = ((FloatVector) k2.add(1).convert(VectorOperators.I2F, 0)).mul(0x1p-24f);
        IntVector vInt = IntVector.broadcast(w.species(), 0xFFFFFF).sub(k2);
        FloatVector v = ((FloatVector) vInt.convert(VectorOperators.I2F, 0)).mul(0x1p-24f);
        FloatVector p = u.mul(d).add(pa);
        FloatVector q = v.mul(d).add(qb);
        return q.neg().blend(p, p.compare(VectorOperators.LE, q));
    }

    /**
     * The second half: Phi^-1(|y|) from its two branch values (central when |y| >= 0.075, as the
     * scalar reference decides), negated where y is negative.
     */
    static FloatVector signedQuantile(FloatVector y, FloatVector central, FloatVector tail) {
        FloatVector z = tail.blend(central, y.abs().compare(VectorOperators.GE, QUANTILE_CENTRAL_MIN_P));
        return z.blend(z.neg(), y.compare(VectorOperators.LT, 0.0f));
    }

    /** {@link Transforms#unit}. */
    static FloatVector unit(IntVector w) {
        IntVector k = w.lanewise(VectorOperators.LSHR, 8);
        return ((FloatVector) k.convert(VectorOperators.I2F, 0)).mul(0x1p-24f);
    }

    /** {@link Transforms#clamp}. */
    static FloatVector clamp(FloatVector x, float lo, float hi) {
        FloatVector y = x.blend(lo, x.compare(VectorOperators.LT, lo));
        return y.blend(hi, y.compare(VectorOperators.GT, hi));
    }

    /** {@link dev.initium.dist.HalfFloats#bf16Bits}. */
    static IntVector bf16Bits(FloatVector x) {
        IntVector bits = x.viewAsIntegralLanes();
        IntVector lsb = bits.lanewise(VectorOperators.LSHR, 16).and(1);
        return bits.add(0x7FFF).add(lsb).lanewise(VectorOperators.LSHR, 16);
    }

    /** {@link dev.initium.dist.HalfFloats#f16Bits} for the normal range: sign | rounded (exponent, mantissa). */
    static IntVector f16NormalRange(FloatVector x) {
        IntVector bits = x.viewAsIntegralLanes();
        IntVector sign = bits.lanewise(VectorOperators.LSHR, 16).and(0x8000);
        IntVector mant = bits.and(0x7FFFFF);
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xFF).sub(127 - 15);
        // 1 <= e <= 30; a carry out of e = 30 gives 0x7C00, infinity, which is the correct rounding.
        IntVector q = e.lanewise(VectorOperators.LSHL, 10).or(mant.lanewise(VectorOperators.LSHR, 13));
        IntVector rest = mant.and(0x1FFF);
        VectorMask<Integer> up = rest.compare(VectorOperators.GT, 0x1000)
                .or(rest.compare(VectorOperators.EQ, 0x1000).and(q.and(1).compare(VectorOperators.EQ, 1)));
        return sign.or(q.add(IntVector.zero(e.species()).blend(1, up)));
    }

    /**
     * {@link dev.initium.dist.HalfFloats#f16Bits}: the subnormal range (-10 <= e <= 0), zero
     * (e < -10) and overflow (e >= 31) computed here, the normal range taken from {@code normal}.
     */
    static IntVector f16Bits(FloatVector x, IntVector normal) {
        IntVector bits = x.viewAsIntegralLanes();
        IntVector sign = bits.lanewise(VectorOperators.LSHR, 16).and(0x8000);
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xFF).sub(127 - 15);
        IntVector sig = bits.and(0x7FFFFF).or(0x800000);
        IntVector shift = IntVector.broadcast(e.species(), 14).sub(e);
        IntVector q = sig.lanewise(VectorOperators.LSHR, shift);
        IntVector one = IntVector.broadcast(e.species(), 1);
        IntVector halfway = one.lanewise(VectorOperators.LSHL, shift.sub(1));
        IntVector rest = sig.and(one.lanewise(VectorOperators.LSHL, shift).sub(1));
        VectorMask<Integer> up = rest.compare(VectorOperators.GT, halfway)
                .or(rest.compare(VectorOperators.EQ, halfway).and(q.and(1).compare(VectorOperators.EQ, 1)));
        IntVector result = normal.blend(sign.or(q.add(IntVector.zero(e.species()).blend(1, up))), e.compare(VectorOperators.LE, 0));
        result = result.blend(sign, e.compare(VectorOperators.LT, -10));
        return result.blend(sign.or(0x7C00), e.compare(VectorOperators.GE, 31));
    }
}
