package io.sluice.proxy.upstream;

/**
 * The syntax of one header or trailer field line of a backend's response (RFC 9112 section 5, RFC 9110 section
 * 5.5): a token name, optional whitespace before the colon (tolerated and dropped, as RFC 9112 5.1 asks of a
 * proxy), and a value of visible characters, spaces, tabs and obs-text, trimmed of whitespace at both ends.
 * Anything else (obs-fold, control characters, DEL, a missing colon or an empty name) is rejected, so the fields
 * handed to {@link WireHeaders} are known to be clean.
 */
public final class FieldLineSyntax {
    /** RFC 9110 tchar, by byte value. */
    private static final boolean[] TOKEN = new boolean[256];
    /** A value's allowed bytes: HTAB, SP, VCHAR, obs-text. */
    private static final boolean[] VALUE = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        VALUE['\t'] = true;
        for (int c = 0x20; c <= 0xFF; c++) {
            VALUE[c] = c != 0x7F;
        }
    }

    private FieldLineSyntax() {
    }

    /** Whether {@code b} is an RFC 9110 tchar (a method's or a field name's byte). */
    public static boolean isToken(byte b) {
        return TOKEN[b & 0xFF];
    }

    /** Whether {@code b} may appear in a field value or a reason phrase. */
    public static boolean isValueByte(byte b) {
        return VALUE[b & 0xFF];
    }

    /** SP or HTAB. */
    public static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /**
     * Checks the field line that starts at {@code line[start]} and ends at the next CR (which must be followed by
     * LF), and writes the name's and the trimmed value's offsets to {@code offsets[at .. at + 3]}: name start,
     * name end, value start, value end.
     *
     * @return the index just after the line's CRLF
     * @throws MalformedResponseException when the line is not a valid field line
     */
    static int parse(byte[] line, int start, int[] offsets, int at) {
        if (isWhitespace(line[start])) {
            throw new MalformedResponseException("obsolete line folding in a response field");
        }
        int i = start;
        while (TOKEN[line[i] & 0xFF]) {
            i++;
        }
        int nameEnd = i;
        while (isWhitespace(line[i])) {
            i++;
        }
        if (nameEnd == start || line[i] != ':') {
            throw new MalformedResponseException("invalid response field name");
        }
        i++;
        while (isWhitespace(line[i])) {
            i++;
        }
        int valueStart = i;
        int valueEnd = i;
        byte b;
        while ((b = line[i]) != '\r') {
            if (!VALUE[b & 0xFF]) {
                throw new MalformedResponseException("invalid character in a response field value");
            }
            i++;
            if (b != ' ' && b != '\t') {
                valueEnd = i;
            }
        }
        if (i + 1 >= line.length || line[i + 1] != '\n') {
            throw new MalformedResponseException("bare CR in a response field");
        }
        offsets[at] = start;
        offsets[at + 1] = nameEnd;
        offsets[at + 2] = valueStart;
        offsets[at + 3] = valueEnd;
        return i + 2;
    }
}
