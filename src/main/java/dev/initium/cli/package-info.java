/** The {@code initium} command line (picocli): the second front door, built on the same engine; not a library API. */
package dev.initium.cli;
