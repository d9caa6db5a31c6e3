package io.sluice.operator.translate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them in our CRDs and annotations, Go style as in Traefik: a number of seconds
 * ({@code 30}), or one or more parts with a unit ({@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 2h}). The one
 * parser every translator uses; each caller words its own problem and decides whether zero is allowed.
 */
final class Durations {
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {
    }

    /** Milliseconds, or -1 when the text is not a duration. */
    static long millis(String text) {
        if (text == null || text.isBlank()) {
            return -1;
        }
        String t = text.strip();
        if (t.chars().allMatch(Character::isDigit)) {
            return t.length() > 12 ? -1 : Long.parseLong(t) * 1000;
        }
        Matcher m = PART.matcher(t);
        long total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end || m.group(1).length() > 12) {
                return -1;
            }
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = m.end();
        }
        return end == t.length() && end > 0 ? total : -1;
    }
}
