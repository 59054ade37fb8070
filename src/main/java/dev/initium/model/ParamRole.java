package dev.initium.model;

/**
 * What a parameter is in its architecture; scheme sets and the architectures' default
 * initialisation decide by role.
 */
public enum ParamRole {
    /** Token embedding table (vocab, hidden). */
    EMBEDDING,
    /** Position or token-type embedding table. */
    POSITION_EMBEDDING,
    /** A hidden linear weight (attention q/k/v, MLP up/gate). */
    LINEAR,
    /** A residual output projection (attention output, MLP down): scaled by depth in GPT-2/Megatron. */
    OUTPUT_PROJECTION,
    /** The language-model head (vocab, hidden), when not tied. */
    LM_HEAD,
    /** A bias. */
    BIAS,
    /** A LayerNorm/RMSNorm weight. */
    NORM_WEIGHT,
    /** A LayerNorm bias. */
    NORM_BIAS
}
