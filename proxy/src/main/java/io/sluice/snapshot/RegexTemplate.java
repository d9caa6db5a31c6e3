package io.sluice.snapshot;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A regex (RE2 syntax, matched in linear time) with a replacement template, checked once when built so that the
 * operator can report a bad one on the Middleware's status and the proxy can refuse the snapshot, instead of failing
 * per request. The template expands {@code $1} or {@code ${1}} (a group number), {@code ${name}} (a named group)
 * and {@code $$} (a literal {@code $}); any other {@code $} is an error. Unlike Go, {@code $1x} means group 1
 * followed by {@code x}. Immutable and thread-safe.
 */
public final class RegexTemplate {
    private final Pattern pattern;
    private final List<Object> parts;

    private RegexTemplate(Pattern pattern, List<Object> parts) {
        this.pattern = pattern;
        this.parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException saying what is wrong with the regex or the template */
    public static RegexTemplate compile(String regex, String replacement) {
        Pattern pattern = pattern(regex);
        return new RegexTemplate(pattern, parse(replacement, pattern.groupCount(), pattern.namedGroups()));
    }

    /** @throws IllegalArgumentException naming the regex and why RE2 refuses it */
    public static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regex \"" + regex + "\" is not valid: " + e.getDescription());
        }
    }

    /** Whether the regex matches anywhere in {@code input}. */
    public boolean find(String input) {
        return pattern.matcher(input).find();
    }

    /** {@code input} with every match replaced by the expanded template. */
    public String replaceAll(String input) {
        Matcher m = pattern.matcher(input);
        StringBuilder out = new StringBuilder(input.length() + 16);
        int last = 0;
        while (m.find()) {
            out.append(input, last, m.start());
            for (Object part : parts) {
                if (part instanceof Integer) {
                    String group = m.group((Integer) part);
                    out.append(group == null ? "" : group);
                } else {
                    out.append((String) part);
                }
            }
            last = m.end();
        }
        return out.append(input, last, input.length()).toString();
    }

    private static List<Object> parse(String template, int groups, Map<String, Integer> names) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            String ref;
            int next;
            if (i + 1 < template.length() && template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("replacement \"" + template + "\": unclosed ${ at " + i);
                }
                ref = template.substring(i + 2, close);
                next = close + 1;
            } else {
                next = i + 1;
                while (next < template.length() && Character.isDigit(template.charAt(next))) {
                    next++;
                }
                ref = template.substring(i + 1, next);
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(group(template, ref, groups, names));
            i = next;
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return parts;
    }

    private static Integer group(String template, String ref, int groups, Map<String, Integer> names) {
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("replacement \"" + template
                    + "\": $ must be followed by a group number, ${name} or $");
        }
        if (ref.chars().allMatch(Character::isDigit)) {
            int n = ref.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(ref);
            if (n > groups) {
                throw new IllegalArgumentException("replacement \"" + template + "\" uses group " + ref
                        + " but the regex has " + groups);
            }
            return n;
        }
        Integer n = names.get(ref);
        if (n == null) {
            throw new IllegalArgumentException("replacement \"" + template + "\" uses group \"" + ref
                    + "\" that the regex does not name");
        }
        return n;
    }
}
