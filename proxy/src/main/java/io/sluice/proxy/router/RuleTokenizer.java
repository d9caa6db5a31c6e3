package io.sluice.proxy.router;

/**
 * Splits a Traefik rule into tokens, one at a time, so the first error in reading order is the one reported. Arguments are Go string literals: raw in backticks (no escapes), or
 * interpreted in double quotes with the escapes backslash, double quote, n, r, t and u followed by four hex digits.
 */
final class RuleTokenizer {
    private final String rule;
    private int pos;

    RuleTokenizer(String rule) {
        this.rule = rule;
    }

    /** The next token; {@link RuleToken.Kind#END} once the rule is consumed (and forever after). */
    RuleToken nextToken() throws RuleSyntaxException {
        skipWhitespace();
        if (pos >= rule.length()) {
            return new RuleToken(RuleToken.Kind.END, "", pos);
        }
        return next();
    }

    private void skipWhitespace() {
        while (pos < rule.length() && Character.isWhitespace(rule.charAt(pos))) {
            pos++;
        }
    }

    private RuleToken next() throws RuleSyntaxException {
        int start = pos;
        char c = rule.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return new RuleToken(RuleToken.Kind.LEFT_PAREN, "(", start);
            case ')':
                pos++;
                return new RuleToken(RuleToken.Kind.RIGHT_PAREN, ")", start);
            case ',':
                pos++;
                return new RuleToken(RuleToken.Kind.COMMA, ",", start);
            case '!':
                pos++;
                return new RuleToken(RuleToken.Kind.NOT, "!", start);
            case '&':
            case '|':
                if (pos + 1 < rule.length() && rule.charAt(pos + 1) == c) {
                    pos += 2;
                    return c == '&' ? new RuleToken(RuleToken.Kind.AND, "&&", start)
                            : new RuleToken(RuleToken.Kind.OR, "||", start);
                }
                throw new RuleSyntaxException(start, "expected '" + c + c + "' but found '" + c + "'");
            case '`':
                return rawString();
            case '"':
                return quotedString();
            case '\'':
                throw new RuleSyntaxException(start, "expected an argument in backticks or double quotes "
                        + "but found a single quote");
            default:
                if (Character.isLetter(c)) {
                    return identifier();
                }
                throw new RuleSyntaxException(start, "unexpected character '" + c + "'");
        }
    }

    private RuleToken identifier() {
        int start = pos;
        while (pos < rule.length() && Character.isLetterOrDigit(rule.charAt(pos))) {
            pos++;
        }
        return new RuleToken(RuleToken.Kind.IDENTIFIER, rule.substring(start, pos), start);
    }

    private RuleToken rawString() throws RuleSyntaxException {
        int start = pos;
        int end = rule.indexOf('`', pos + 1);
        if (end < 0) {
            throw new RuleSyntaxException(start, "expected a closing backtick");
        }
        pos = end + 1;
        return new RuleToken(RuleToken.Kind.STRING, rule.substring(start + 1, end), start);
    }

    private RuleToken quotedString() throws RuleSyntaxException {
        int start = pos;
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < rule.length()) {
            char c = rule.charAt(pos);
            if (c == '"') {
                pos++;
                return new RuleToken(RuleToken.Kind.STRING, value.toString(), start);
            }
            if (c == '\\') {
                value.append(escape());
            } else {
                value.append(c);
                pos++;
            }
        }
        throw new RuleSyntaxException(start, "expected a closing double quote");
    }

    private char escape() throws RuleSyntaxException {
        int start = pos;
        if (pos + 1 >= rule.length()) {
            throw new RuleSyntaxException(start, "expected an escape sequence after '\\'");
        }
        char e = rule.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '\\':
                return '\\';
            case '"':
                return '"';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                return unicodeEscape(start);
            default:
                throw new RuleSyntaxException(start, "unknown escape sequence '\\" + e + "'");
        }
    }

    private char unicodeEscape(int start) throws RuleSyntaxException {
        if (pos + 4 > rule.length()) {
            throw new RuleSyntaxException(start, "expected four hex digits after '\\u'");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(rule.charAt(pos + i), 16);
            if (digit < 0) {
                throw new RuleSyntaxException(start, "expected four hex digits after '\\u'");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }
}
