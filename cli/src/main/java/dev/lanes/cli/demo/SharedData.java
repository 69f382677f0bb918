package dev.lanes.cli.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the optional shared test material (a {@code shared/} folder beside the repository):
 * {@code -Dlanes.shared}, then {@code $LANES_SHARED}, then {@code ../shared} next to the
 * Lanes checkout ({@code -Dlanes.home}, set by the {@code lanes} launcher), then
 * {@code ../shared} from the current folder.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The shared folder if one of the places names an existing folder, else null. */
    public static Path folder() {
        for (String candidate : new String[] {System.getProperty("lanes.shared"),
                System.getenv("LANES_SHARED"), home("../shared"), "../shared"}) {
            if (candidate != null && !candidate.isEmpty()) {
                Path p = Path.of(candidate);
                if (Files.isDirectory(p)) {
                    return p.normalize();
                }
            }
        }
        return null;
    }

    private static String home(String relative) {
        String home = System.getProperty("lanes.home");
        return home == null || home.isEmpty() ? null : Path.of(home).resolve(relative).toString();
    }
}
