package io.sluice.proxy.entrypoint;

import io.sluice.proxy.upstream.FieldLineSyntax;

/**
 * The syntax of one header or trailer field line of a client's request (RFC 9112 section 5, RFC 9110 section
 * 5.5): a token name directly followed by the colon (whitespace there is malformed in a request, RFC 9112 5.1, as
 * it is how smuggling attempts hide a field from one parser and not another), then a value of visible characters,
 * spaces, tabs and obs-text, trimmed of whitespace at both ends. A line starting with whitespace (obs-fold),
 * control characters, DEL, a missing colon or an empty name are malformed, so the fields handed on are clean.
 */
final class RequestFieldLine {
    private RequestFieldLine() {
    }

    /**
     * Checks the field line {@code line[start, end)} (without its CRLF) and writes the name's and the trimmed
     * value's offsets to {@code offsets[at .. at + 3]}: name start, name end, value start, value end.
     *
     * @throws MalformedRequestException when the line is not a valid request field line
     */
    static void parse(byte[] line, int start, int end, int[] offsets, int at) {
        if (start < end && FieldLineSyntax.isWhitespace(line[start])) {
            throw new MalformedRequestException("obsolete line folding in a request field");
        }
        int i = start;
        while (i < end && FieldLineSyntax.isToken(line[i])) {
            i++;
        }
        if (i == start || i == end || line[i] != ':') {
            throw new MalformedRequestException("invalid request field name");
        }
        int nameEnd = i;
        i++;
        while (i < end && FieldLineSyntax.isWhitespace(line[i])) {
            i++;
        }
        int valueStart = i;
        for (; i < end; i++) {
            if (!FieldLineSyntax.isValueByte(line[i])) {
                throw new MalformedRequestException("invalid character in a request field value");
            }
        }
        int valueEnd = end;
        while (valueEnd > valueStart && FieldLineSyntax.isWhitespace(line[valueEnd - 1])) {
            valueEnd--;
        }
        offsets[at] = start;
        offsets[at + 1] = nameEnd;
        offsets[at + 2] = valueStart;
        offsets[at + 3] = valueEnd;
    }
}
