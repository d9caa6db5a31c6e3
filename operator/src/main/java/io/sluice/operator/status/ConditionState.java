package io.sluice.operator.status;

import java.util.Objects;

/**
 * What one condition should say now: its status ({@code True}/{@code False}/{@code Unknown}), a CamelCase reason
 * and a human message. Messages name objects and reasons, never Secret contents.
 */
public record ConditionState(String type, String status, String reason, String message) {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    public ConditionState {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        message = message == null ? "" : message;
        if (!status.equals(TRUE) && !status.equals(FALSE) && !status.equals(UNKNOWN)) {
            throw new IllegalArgumentException("condition status must be True, False or Unknown: " + status);
        }
    }

    public static ConditionState isTrue(String type, String reason, String message) {
        return new ConditionState(type, TRUE, reason, message);
    }

    public static ConditionState isFalse(String type, String reason, String message) {
        return new ConditionState(type, FALSE, reason, message);
    }

    public static ConditionState unknown(String type, String reason, String message) {
        return new ConditionState(type, UNKNOWN, reason, message);
    }
}
