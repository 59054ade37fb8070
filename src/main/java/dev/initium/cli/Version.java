package dev.initium.cli;

import picocli.CommandLine;

/** The version from the jar manifest ({@code Implementation-Version}), or "dev" when run from classes. */
public final class Version implements CommandLine.IVersionProvider {

    /** Initium's version string. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"initium " + current(), "Java " + Runtime.version()};
    }
}
