package io.sluice.operator.translate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.sluice.snapshot.HostNames;
import io.sluice.snapshot.TcpRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code match} of an IngressRouteTCP route: {@code HostSNI(`a.example.com`)} (several names allowed,
 * as Traefik v2), {@code HostSNI(`*`)}, {@code HostSNIRegexp(`^.+\.example\.com$`)} (RE2), and any of them joined
 * by {@code ||}. Anything else ({@code &&}, {@code !}, {@code ClientIP}, {@code ALPN}, parentheses) is refused
 * with a message saying what was found, since passthrough can only see the server name.
 */
final class HostSniExpression {

    /** The server names and expressions of a match, or why it cannot be used. */
    record Parsed(List<String> hostSni, List<String> hostSniRegexp, String error) {
        static Parsed failure(String error) {
            return new Parsed(List.of(), List.of(), error);
        }
    }

    private final String text;
    private int pos;

    private HostSniExpression(String text) {
        this.text = text;
    }

    static Parsed parse(String match) {
        if (match == null || match.isBlank()) {
            return Parsed.failure("match is empty");
        }
        return new HostSniExpression(match).expression();
    }

    private Parsed expression() {
        List<String> names = new ArrayList<>();
        List<String> regexps = new ArrayList<>();
        while (true) {
            skipSpaces();
            String function = identifier();
            if (!function.equals("HostSNI") && !function.equals("HostSNIRegexp")) {
                return Parsed.failure(function.isEmpty()
                        ? "expected HostSNI or HostSNIRegexp at position " + pos
                        : function + " is not supported for TLS passthrough (only HostSNI and HostSNIRegexp,"
                                + " joined by ||)");
            }
            skipSpaces();
            if (!take('(')) {
                return Parsed.failure("expected ( after " + function);
            }
            do {
                skipSpaces();
                String argument = backtickString();
                if (argument == null) {
                    return Parsed.failure("expected a `quoted` argument to " + function + " at position " + pos);
                }
                String error = function.equals("HostSNI") ? addName(argument, names) : addRegexp(argument, regexps);
                if (error != null) {
                    return Parsed.failure(error);
                }
                skipSpaces();
            } while (take(','));
            if (!take(')')) {
                return Parsed.failure("expected ) to close " + function + " at position " + pos);
            }
            skipSpaces();
            if (pos == text.length()) {
                return new Parsed(List.copyOf(names), List.copyOf(regexps), null);
            }
            if (!text.startsWith("||", pos)) {
                return Parsed.failure("only || may join HostSNI and HostSNIRegexp; found \""
                        + text.substring(pos, Math.min(text.length(), pos + 10)) + "\" at position " + pos);
            }
            pos += 2;
        }
    }

    private static String addName(String argument, List<String> names) {
        String name = argument.toLowerCase(Locale.ROOT);
        if (!name.equals(TcpRouter.ANY_HOST) && (name.startsWith("*") || !HostNames.isValidPattern(name))) {
            return "HostSNI `" + argument + "` is neither a DNS name nor * (use HostSNIRegexp for patterns)";
        }
        if (!names.contains(name)) {
            names.add(name);
        }
        return null;
    }

    private static String addRegexp(String argument, List<String> regexps) {
        try {
            Pattern.compile(argument);
        } catch (PatternSyntaxException e) {
            return "HostSNIRegexp `" + argument + "` is not a valid RE2 expression: " + e.getDescription();
        }
        regexps.add(argument);
        return null;
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String backtickString() {
        if (!take('`')) {
            return null;
        }
        int end = text.indexOf('`', pos);
        if (end < 0) {
            return null;
        }
        String value = text.substring(pos, end);
        pos = end + 1;
        return value;
    }

    private boolean take(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
