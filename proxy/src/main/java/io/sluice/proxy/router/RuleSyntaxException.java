package io.sluice.proxy.router;

/**
 * A Traefik rule that cannot be compiled: bad syntax, an unknown matcher, a wrong number of arguments, or an
 * argument that is not valid for its matcher (a regular expression, a CIDR, a path). The message says where
 * (a 0-based character offset into the rule) and what was expected, so the operator can copy it into the status
 * of the object that carried the rule.
 */
public final class RuleSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int position;
    private final String detail;

    public RuleSyntaxException(int position, String detail) {
        super("at position " + position + ": " + detail);
        this.position = position;
        this.detail = detail;
    }

    /** 0-based offset of the offending character in the rule. */
    public int position() {
        return position;
    }

    /** The problem without the position prefix. */
    public String detail() {
        return detail;
    }
}
