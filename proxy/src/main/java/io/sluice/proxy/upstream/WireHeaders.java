package io.sluice.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.internal.PlatformDependent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A response head's header fields as the backend sent them: the bytes of the header section and where each field's
 * name and value lie in it, instead of a string and a hash-table entry per field. A proxy reads a few of a
 * response's fields (the framing ones), removes the hop-by-hop ones, sometimes sets one, and writes the rest on
 * unchanged; those operations work on the bytes here, and the HTTP/1.1 encoder copies the kept fields' bytes
 * ({@link #writeTo}) instead of re-encoding strings character by character.
 *
 * <p>Any other operation (iteration, typed getters, non-text values) first turns the fields into Netty's
 * {@link DefaultHttpHeaders}, with Netty's name and value checks, and from then on delegates to it, so every
 * {@link HttpHeaders} method keeps its documented behaviour. Fields added or set here are checked as Netty checks
 * them. The fields given to the constructor must already be checked: names are tokens, values have no control
 * characters other than horizontal tab and no leading or trailing whitespace (the upstream decoder does that).
 *
 * <p>Not thread-safe, like the message it belongs to.
 */
public final class WireHeaders extends HttpHeaders {
    private static final DefaultHeaders.NameValidator<CharSequence> NAMES =
            DefaultHttpHeadersFactory.headersFactory().getNameValidator();
    private static final DefaultHeaders.ValueValidator<CharSequence> VALUES =
            DefaultHttpHeadersFactory.headersFactory().getValueValidator();

    private final DefaultHeaders.NameValidator<CharSequence> nameCheck;
    private final byte[] block;
    /** Per received field, four offsets into {@link #block}: name start, name end, value start, value end. */
    private final int[] fields;
    private final int received;
    /** Bit (n % 64) set when a received field's name has n bytes: most lookups of absent names end here. */
    private final long nameLengths;
    /**
     * Per received field, its name's case-insensitive hash as Netty's {@link AsciiString#hashCode(CharSequence)}
     * computes it (cached in the {@code HttpHeaderNames} constants): a lookup compares names only on equal hashes.
     */
    private final int[] nameHashes;
    /** Received fields removed since; bit i for field i (at most 64 fields are tracked here, see constructor). */
    private long removed;
    /** Fields added or set here, in order, after the received ones. */
    private List<CharSequence> addedNames;
    private List<String> addedValues;
    /** Non-null once any operation outside the fast path ran: from then on the only representation. */
    private DefaultHttpHeaders materialized;

    /**
     * @param block  the header section's bytes (not copied: the caller hands them over)
     * @param fields four offsets per field into {@code block}: name start and end, value start and end
     * @param count  the number of fields
     */
    public WireHeaders(byte[] block, int[] fields, int count) {
        this(block, fields, count, NAMES);
    }

    /**
     * As above, with the check applied to the names of fields added or set later (a client's request head uses
     * one that skips the proxy's own constant names, see the entrypoint's {@code OwnHeaderNames}).
     */
    public WireHeaders(byte[] block, int[] fields, int count, DefaultHeaders.NameValidator<CharSequence> names) {
        this.nameCheck = names;
        this.block = block;
        this.fields = fields;
        this.received = count;
        long lengths = 0;
        int[] hashes = new int[count];
        for (int i = 0; i < count; i++) {
            int start = fields[i * 4];
            int length = fields[i * 4 + 1] - start;
            lengths |= 1L << (length & 63);
            hashes[i] = PlatformDependent.hashCodeAscii(block, start, length);
        }
        this.nameLengths = lengths;
        this.nameHashes = hashes;
        if (count > Long.SIZE) {
            materialize(); // the removal mask covers 64 fields; longer heads take Netty's representation
        }
    }

    /** Writes every field as {@code name: value CRLF}, in order, into {@code out}. */
    public void writeTo(ByteBuf out) {
        if (materialized != null) {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = materialized.iteratorCharSequence();
                    it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> field = it.next();
                writeField(out, field.getKey(), field.getValue());
            }
            return;
        }
        for (int i = 0; i < received; i++) {
            if (!isRemoved(i)) {
                int at = i * 4;
                out.writeBytes(block, fields[at], fields[at + 1] - fields[at]);
                out.writeShort(COLON_SPACE);
                out.writeBytes(block, fields[at + 2], fields[at + 3] - fields[at + 2]);
                out.writeShort(CRLF);
            }
        }
        if (addedNames != null) {
            for (int i = 0; i < addedNames.size(); i++) {
                writeField(out, addedNames.get(i), addedValues.get(i));
            }
        }
    }

    private static final int COLON_SPACE = (':' << 8) | ' ';
    private static final int CRLF = ('\r' << 8) | '\n';

    private static void writeField(ByteBuf out, CharSequence name, CharSequence value) {
        ByteBufUtil.writeAscii(out, name);
        out.writeShort(COLON_SPACE);
        ByteBufUtil.writeAscii(out, value);
        out.writeShort(CRLF);
    }

    private boolean isRemoved(int field) {
        return (removed & (1L << field)) != 0;
    }

    /** The received fields to look at for {@code name}: none when no received name has its length. */
    private int candidates(CharSequence name) {
        return (nameLengths & (1L << (name.length() & 63))) == 0 ? 0 : received;
    }

    private boolean nameIs(int field, CharSequence name, int hash) {
        return nameHashes[field] == hash && sameName(field, name);
    }

    private boolean sameName(int field, CharSequence name) {
        int at = field * 4;
        int start = fields[at];
        int length = fields[at + 1] - start;
        if (length != name.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (AsciiString.toLowerCase((char) (block[start + i] & 0xFF)) != AsciiString.toLowerCase(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private String value(int field) {
        int at = field * 4;
        return new String(block, fields[at + 2], fields[at + 3] - fields[at + 2], StandardCharsets.ISO_8859_1);
    }

    /** Netty's empty headers, with this head's check of names added later. */
    private DefaultHttpHeaders nettyHeaders() {
        return nameCheck == NAMES ? new DefaultHttpHeaders()
                : (DefaultHttpHeaders) DefaultHttpHeadersFactory.headersFactory().withNameValidator(nameCheck)
                        .newHeaders();
    }

    private DefaultHttpHeaders materialize() {
        if (materialized == null) {
            DefaultHttpHeaders headers = nettyHeaders();
            for (int i = 0; i < received; i++) {
                if (!isRemoved(i)) {
                    int at = i * 4;
                    headers.add(new AsciiString(block, fields[at], fields[at + 1] - fields[at], true), value(i));
                }
            }
            if (addedNames != null) {
                for (int i = 0; i < addedNames.size(); i++) {
                    headers.add(addedNames.get(i), addedValues.get(i));
                }
            }
            materialized = headers;
            addedNames = null;
            addedValues = null;
        }
        return materialized;
    }

    // ---- the fast path: lookups, removal, and text values added or set

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        if (materialized != null) {
            return materialized.get(name);
        }
        int limit = candidates(name);
        int hash = limit == 0 ? 0 : AsciiString.hashCode(name);
        for (int i = 0; i < limit; i++) {
            if (!isRemoved(i) && nameIs(i, name, hash)) {
                return value(i);
            }
        }
        if (addedNames != null) {
            for (int i = 0; i < addedNames.size(); i++) {
                if (AsciiString.contentEqualsIgnoreCase(addedNames.get(i), name)) {
                    return addedValues.get(i);
                }
            }
        }
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        if (materialized != null) {
            return materialized.getAll(name);
        }
        List<String> values = null;
        int limit = candidates(name);
        int hash = limit == 0 ? 0 : AsciiString.hashCode(name);
        for (int i = 0; i < limit; i++) {
            if (!isRemoved(i) && nameIs(i, name, hash)) {
                values = listed(values, value(i));
            }
        }
        if (addedNames != null) {
            for (int i = 0; i < addedNames.size(); i++) {
                if (AsciiString.contentEqualsIgnoreCase(addedNames.get(i), name)) {
                    values = listed(values, addedValues.get(i));
                }
            }
        }
        return values == null ? Collections.emptyList() : values;
    }

    private static List<String> listed(List<String> values, String value) {
        List<String> list = values == null ? new ArrayList<>(2) : values;
        list.add(value);
        return list;
    }

    @Override
    public boolean contains(String name) {
        return contains((CharSequence) name);
    }

    @Override
    public boolean contains(CharSequence name) {
        if (materialized != null) {
            return materialized.contains(name);
        }
        int limit = candidates(name);
        int hash = limit == 0 ? 0 : AsciiString.hashCode(name);
        for (int i = 0; i < limit; i++) {
            if (!isRemoved(i) && nameIs(i, name, hash)) {
                return true;
            }
        }
        if (addedNames != null) {
            for (CharSequence added : addedNames) {
                if (AsciiString.contentEqualsIgnoreCase(added, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        if (materialized != null) {
            materialized.remove(name);
            return this;
        }
        int limit = candidates(name);
        int hash = limit == 0 ? 0 : AsciiString.hashCode(name);
        for (int i = 0; i < limit; i++) {
            if (nameIs(i, name, hash)) {
                removed |= 1L << i;
            }
        }
        if (addedNames != null) {
            for (int i = addedNames.size() - 1; i >= 0; i--) {
                if (AsciiString.contentEqualsIgnoreCase(addedNames.get(i), name)) {
                    addedNames.remove(i);
                    addedValues.remove(i);
                }
            }
        }
        return this;
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        String text = materialized == null ? text(value) : null;
        if (text == null) {
            materialize().add(name, value);
            return this;
        }
        nameCheck.validateName(name);
        VALUES.validate(text);
        if (addedNames == null) {
            addedNames = new ArrayList<>(8);
            addedValues = new ArrayList<>(8);
        }
        addedNames.add(name);
        addedValues.add(text);
        return this;
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        if (materialized != null || text(value) == null) {
            materialize().set(name, value);
            return this;
        }
        remove(name);
        return add(name, value);
    }

    /** A value the fast path keeps as text (what Netty's converter makes of it), or null for dates and the like. */
    private static String text(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof CharSequence || value instanceof Number) {
            return value.toString();
        }
        return null; // Date, Calendar and anything else: Netty's converter knows them
    }

    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        if (materialized != null) {
            return materialized.containsValue(name, value, ignoreCase);
        }
        int limit = candidates(name);
        int hash = limit == 0 ? 0 : AsciiString.hashCode(name);
        for (int i = 0; i < limit; i++) {
            if (!isRemoved(i) && nameIs(i, name, hash) && listContains(i, value, ignoreCase)) {
                return true;
            }
        }
        if (addedNames != null) {
            for (int i = 0; i < addedNames.size(); i++) {
                if (AsciiString.contentEqualsIgnoreCase(addedNames.get(i), name)) {
                    for (String element : addedValues.get(i).split(",")) {
                        if (same(element.trim(), value, ignoreCase)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Whether one of the comma-separated elements of field {@code field}'s value, trimmed, is {@code value}. */
    private boolean listContains(int field, CharSequence value, boolean ignoreCase) {
        int at = field * 4;
        int end = fields[at + 3];
        int start = fields[at + 2];
        while (start <= end) {
            int comma = start;
            while (comma < end && block[comma] != ',') {
                comma++;
            }
            int from = start;
            int to = comma;
            while (from < to && isWhitespace(block[from])) {
                from++;
            }
            while (to > from && isWhitespace(block[to - 1])) {
                to--;
            }
            if (bytesAre(from, to, value, ignoreCase)) {
                return true;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    private boolean bytesAre(int from, int to, CharSequence value, boolean ignoreCase) {
        if (to - from != value.length()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char actual = (char) (block[from + i] & 0xFF);
            char expected = value.charAt(i);
            boolean differs = ignoreCase ? AsciiString.toLowerCase(actual) != AsciiString.toLowerCase(expected)
                    : actual != expected;
            if (differs) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(CharSequence a, CharSequence b, boolean ignoreCase) {
        return ignoreCase ? AsciiString.contentEqualsIgnoreCase(a, b) : AsciiString.contentEquals(a, b);
    }

    @Override
    public boolean contains(String name, String value, boolean ignoreCase) {
        return contains((CharSequence) name, value, ignoreCase);
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        if (materialized != null) {
            return materialized.contains(name, value, ignoreCase);
        }
        int limit = candidates(name);
        int hash = limit == 0 ? 0 : AsciiString.hashCode(name);
        for (int i = 0; i < limit; i++) {
            if (!isRemoved(i) && nameIs(i, name, hash)
                    && bytesAre(fields[i * 4 + 2], fields[i * 4 + 3], value, ignoreCase)) {
                return true;
            }
        }
        if (addedNames != null) {
            for (int i = 0; i < addedNames.size(); i++) {
                if (AsciiString.contentEqualsIgnoreCase(addedNames.get(i), name)
                        && same(addedValues.get(i), value, ignoreCase)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public int size() {
        if (materialized != null) {
            return materialized.size();
        }
        return received - Long.bitCount(removed) + (addedNames == null ? 0 : addedNames.size());
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    // ---- everything else: on Netty's representation

    @Override
    public Integer getInt(CharSequence name) {
        return materialize().getInt(name);
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        return materialize().getInt(name, defaultValue);
    }

    @Override
    public Short getShort(CharSequence name) {
        return materialize().getShort(name);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        return materialize().getShort(name, defaultValue);
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        return materialize().getTimeMillis(name);
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        return materialize().getTimeMillis(name, defaultValue);
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        return materialize().entries();
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return materialize().iterator();
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return materialize().iteratorCharSequence();
    }

    @Override
    public Iterator<String> valueStringIterator(CharSequence name) {
        return materialize().valueStringIterator(name);
    }

    @Override
    public Iterator<CharSequence> valueCharSequenceIterator(CharSequence name) {
        return materialize().valueCharSequenceIterator(name);
    }

    @Override
    public Set<String> names() {
        return materialize().names();
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        materialize().add(name, values);
        return this;
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        materialize().add(name, values);
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        materialize().addInt(name, value);
        return this;
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        materialize().addShort(name, value);
        return this;
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        materialize().set(name, values);
        return this;
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        materialize().set(name, values);
        return this;
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        materialize().setInt(name, value);
        return this;
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        materialize().setShort(name, value);
        return this;
    }

    @Override
    public HttpHeaders clear() {
        materialized = nettyHeaders();
        addedNames = null;
        addedValues = null;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        return materialize().copy();
    }

    /**
     * Whether the fields are still the received bytes: no operation so far needed Netty's representation (for tests
     * that check a path stays on the fast one).
     */
    public boolean onWire() {
        return materialized == null;
    }
}
