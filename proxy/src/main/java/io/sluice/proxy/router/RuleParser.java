package io.sluice.proxy.router;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a Traefik v3 rule ({@code Host(`a.example.com`) && (PathPrefix(`/api`) || !Method(`GET`))}) into a
 * {@link RequestMatcher}. {@code !} binds tightest, then {@code &&}, then {@code ||}; parentheses group. The
 * operator calls this to validate rules when it translates objects, the proxy when it compiles a snapshot, so a
 * rule accepted by one is accepted by the other. Stateless and thread-safe.
 */
public final class RuleParser {
    /** Deeper nesting than this is rejected rather than risking the parser's stack. */
    static final int MAX_DEPTH = 64;

    private final RuleMatcherFactory factory = new RuleMatcherFactory();

    /**
     * Compiles a rule.
     *
     * @throws RuleSyntaxException with the 0-based offset and what was expected there
     */
    public RequestMatcher parse(String rule) throws RuleSyntaxException {
        return new Parse(new RuleTokenizer(rule)).rule();
    }

    /** One parse: the tokenizer and the current token. */
    private final class Parse {
        private final RuleTokenizer tokenizer;
        private RuleToken current;
        private int depth;

        Parse(RuleTokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }

        RequestMatcher rule() throws RuleSyntaxException {
            current = tokenizer.nextToken();
            RequestMatcher matcher = disjunction();
            RuleToken end = peek();
            if (end.kind() != RuleToken.Kind.END) {
                throw expected("'&&', '||' or end of rule", end);
            }
            return matcher;
        }

        private RequestMatcher disjunction() throws RuleSyntaxException {
            List<RequestMatcher> operands = new ArrayList<>();
            operands.add(conjunction());
            while (peek().kind() == RuleToken.Kind.OR) {
                advance();
                operands.add(conjunction());
            }
            return operands.size() == 1 ? operands.get(0) : flatten(operands, false);
        }

        private RequestMatcher conjunction() throws RuleSyntaxException {
            List<RequestMatcher> operands = new ArrayList<>();
            operands.add(unary());
            while (peek().kind() == RuleToken.Kind.AND) {
                advance();
                operands.add(unary());
            }
            return operands.size() == 1 ? operands.get(0) : flatten(operands, true);
        }

        private RequestMatcher unary() throws RuleSyntaxException {
            RuleToken token = peek();
            if (token.kind() == RuleToken.Kind.NOT) {
                advance();
                enter(token);
                RequestMatcher operand = unary();
                depth--;
                return new RuleMatchers.Not(operand);
            }
            if (token.kind() == RuleToken.Kind.LEFT_PAREN) {
                advance();
                enter(token);
                RequestMatcher inner = disjunction();
                depth--;
                expect(RuleToken.Kind.RIGHT_PAREN, "')'");
                return inner;
            }
            if (token.kind() == RuleToken.Kind.IDENTIFIER) {
                return call();
            }
            throw expected("a matcher, '!' or '('", token);
        }

        private RequestMatcher call() throws RuleSyntaxException {
            RuleToken name = current;
            advance();
            expect(RuleToken.Kind.LEFT_PAREN, "'(' after " + name.text());
            List<String> arguments = new ArrayList<>();
            if (peek().kind() != RuleToken.Kind.RIGHT_PAREN) {
                arguments.add(expect(RuleToken.Kind.STRING, "an argument in backticks or double quotes").text());
                while (peek().kind() == RuleToken.Kind.COMMA) {
                    advance();
                    arguments.add(expect(RuleToken.Kind.STRING, "an argument in backticks or double quotes")
                            .text());
                }
            }
            expect(RuleToken.Kind.RIGHT_PAREN, "',' or ')'");
            return factory.create(name.text(), arguments, name.position());
        }

        private void enter(RuleToken token) throws RuleSyntaxException {
            if (++depth > MAX_DEPTH) {
                throw new RuleSyntaxException(token.position(), "expressions nested deeper than " + MAX_DEPTH);
            }
        }

        private RuleToken peek() {
            return current;
        }

        private void advance() throws RuleSyntaxException {
            current = tokenizer.nextToken();
        }

        private RuleToken expect(RuleToken.Kind kind, String what) throws RuleSyntaxException {
            RuleToken token = peek();
            if (token.kind() != kind) {
                throw expected(what, token);
            }
            advance();
            return token;
        }

        private RuleSyntaxException expected(String what, RuleToken found) {
            return new RuleSyntaxException(found.position(), "expected " + what + " but found " + found.describe());
        }
    }

    /** Merges nested conjunctions (or disjunctions) into one flat operand array. */
    private static RequestMatcher flatten(List<RequestMatcher> operands, boolean conjunction) {
        List<RequestMatcher> flat = new ArrayList<>();
        for (RequestMatcher operand : operands) {
            if (conjunction && operand instanceof RuleMatchers.AllOf) {
                flat.addAll(List.of(((RuleMatchers.AllOf) operand).operands()));
            } else if (!conjunction && operand instanceof RuleMatchers.AnyOf) {
                flat.addAll(List.of(((RuleMatchers.AnyOf) operand).operands()));
            } else {
                flat.add(operand);
            }
        }
        RequestMatcher[] array = flat.toArray(new RequestMatcher[0]);
        return conjunction ? new RuleMatchers.AllOf(array) : new RuleMatchers.AnyOf(array);
    }
}
