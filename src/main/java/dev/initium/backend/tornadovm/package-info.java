/**
 * Internal: the TornadoVM backend. The provider, its settings and the implementation interface
 * are in every build and name no TornadoVM class; the implementation and its kernel (Initium's
 * scalar reference as a Java method TornadoVM compiles) come from {@code src/tornadovm/java},
 * compiled only by the Maven profile {@code -Ptornadovm}.
 */
package dev.initium.backend.tornadovm;
