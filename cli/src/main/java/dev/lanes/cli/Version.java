package dev.lanes.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of Lanes, written into the jar at build time. */
final class Version {
    private Version() {
    }

    /** The project version, or "unknown" when the build did not record it. */
    static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
