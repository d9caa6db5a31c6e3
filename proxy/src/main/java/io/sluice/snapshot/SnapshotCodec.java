package io.sluice.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The JSON wire form of a {@link RoutingSnapshot}: deterministic output (map keys sorted, nulls omitted) so that
 * equal snapshots encode to equal bytes, and a strict decoder that names the field it could not read.
 */
public final class SnapshotCodec {
    private final ObjectMapper mapper;

    public SnapshotCodec() {
        this.mapper = JsonMapper.builder()
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public byte[] encode(RoutingSnapshot snapshot) {
        try {
            return mapper.writeValueAsBytes(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode snapshot " + snapshot.version(), e);
        }
    }

    public String encodeToString(RoutingSnapshot snapshot) {
        return new String(encode(snapshot), StandardCharsets.UTF_8);
    }

    /** Decodes a snapshot; the exception message says which field or position was wrong. */
    public RoutingSnapshot decode(byte[] json) throws SnapshotDecodeException {
        try {
            RoutingSnapshot snapshot = mapper.readValue(json, RoutingSnapshot.class);
            if (snapshot == null) {
                throw new SnapshotDecodeException("empty snapshot document");
            }
            return snapshot;
        } catch (IOException | RuntimeException e) {
            throw new SnapshotDecodeException(describe(e), e);
        }
    }

    /**
     * SHA-256 of the encoded snapshot with its version cleared: two snapshots with the same routing content have
     * the same hash whatever their versions, so the operator can skip pushes that change nothing.
     */
    public String contentHash(RoutingSnapshot snapshot) {
        byte[] bytes = encode(snapshot.withVersion(SnapshotVersion.NONE));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jme) {
            String path = jme.getPathReference();
            String message = jme.getOriginalMessage();
            return path == null ? message : path + ": " + message;
        }
        return e.getMessage();
    }

    /** A snapshot document that could not be read. */
    public static final class SnapshotDecodeException extends Exception {
        private static final long serialVersionUID = 1L;

        public SnapshotDecodeException(String message) {
            super(message);
        }

        public SnapshotDecodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
