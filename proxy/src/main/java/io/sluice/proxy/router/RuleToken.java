package io.sluice.proxy.router;

/**
 * One lexical token of a Traefik rule, with its offset for error messages.
 *
 * @param text the identifier name or the decoded string value; the operator itself otherwise
 */
record RuleToken(Kind kind, String text, int position) {

    enum Kind {
        IDENTIFIER("a matcher name"),
        STRING("a quoted argument"),
        LEFT_PAREN("'('"),
        RIGHT_PAREN("')'"),
        COMMA("','"),
        AND("'&&'"),
        OR("'||'"),
        NOT("'!'"),
        END("end of rule");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** How the token reads in an error message. */
    String describe() {
        switch (kind) {
            case IDENTIFIER:
                return "'" + text + "'";
            case STRING:
                return "argument \"" + text + "\"";
            default:
                return kind.description;
        }
    }
}
