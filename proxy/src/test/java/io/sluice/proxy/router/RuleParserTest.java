package io.sluice.proxy.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleParserTest {
    private final RuleParser parser = new RuleParser();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '~', value = {
        "Host(`a.com`)",
        "Host(\"a.com\")",
        "  Host( `a.com` )  &&  Path(`/x`)  ",
        "Host(`a.com`) || Host(`b.com`) && !Method(`GET`)",
        "((Host(`a.com`)))",
        "!!Path(`/`)",
        "Header(`X-A`, `1`) && HeaderRegexp(`X-B`, `^v[0-9]+$`)",
        "Query(`debug`) || Query(`mode`, `fast`) || QueryRegexp(`id`, `[0-9]+`)",
        "ClientIP(`10.0.0.0/8`) || ClientIP(`::1`) || ClientIP(`2001:db8::/32`) || ClientIP(`192.168.1.7`)",
        "HostRegexp(`^[a-z]+\\.example\\.com$`) && PathRegexp(`^/api/v[0-9]+/`)",
        "PathPrefix(`/api`)",
    })
    void acceptsValidRules(String rule) throws RuleSyntaxException {
        assertThat(parser.parse(rule)).isNotNull();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = ';', quoteCharacter = '~', value = {
        "~~ ; 0 ; expected a matcher, '!' or '(' but found end of rule",
        "Host(`a.com` ; 12 ; expected ',' or ')' but found end of rule",
        "Host(`a.com`) && ; 16 ; expected a matcher, '!' or '(' but found end of rule",
        "(Host(`a.com`) ; 14 ; expected ')' but found end of rule",
        "Host(`a.com`)) ; 13 ; expected '&&', '||' or end of rule but found ')'",
        "Host(`a.com`) Path(`/`) ; 14 ; expected '&&', '||' or end of rule but found 'Path'",
        "Host(`a.com`) & Path(`/`) ; 14 ; expected '&&' but found '&'",
        "Host(`a.com`) | Path(`/`) ; 14 ; expected '||' but found '|'",
        "Hots(`a.com`) ; 0 ; unknown matcher 'Hots', expected one of Host, HostRegexp",
        "host(`a.com`) ; 0 ; unknown matcher 'host'",
        "Host(`a.com`, `b.com`) ; 0 ; Host expects 1 argument but got 2",
        "Host() ; 0 ; Host expects 1 argument but got 0",
        "Header(`X-A`) ; 0 ; Header expects 2 arguments but got 1",
        "Query(`a`, `b`, `c`) ; 0 ; Query expects 1 or 2 arguments but got 3",
        "Host(a.com) ; 5 ; expected an argument in backticks or double quotes but found 'a'",
        "Host('a.com') ; 5 ; expected an argument in backticks or double quotes but found a single quote",
        "Host(`a.com) ; 5 ; expected a closing backtick",
        "Host(\"a.com) ; 5 ; expected a closing double quote",
        "Host(\"a\\qb\") ; 7 ; unknown escape sequence '\\q'",
        "Host(`a.com` `b.com`) ; 13 ; expected ',' or ')' but found argument \"b.com\"",
        "Host ; 4 ; expected '(' after Host but found end of rule",
        "Path(`x`) ; 0 ; Path: path \"x\" must start with /",
        "PathPrefix(`api`) ; 0 ; PathPrefix: path \"api\" must start with /",
        "PathRegexp(`(`) ; 0 ; PathRegexp: invalid regular expression",
        "Host(`a.com`) && HostRegexp(`[a-`) ; 17 ; HostRegexp: invalid regular expression",
        "HeaderRegexp(`X`, `a{2,1}`) ; 0 ; HeaderRegexp: invalid regular expression",
        "ClientIP(`10.0.0.0/33`) ; 0 ; ClientIP: CIDR prefix length 33 exceeds 32",
        "ClientIP(`::/129`) ; 0 ; ClientIP: CIDR prefix length 129 exceeds 128",
        "ClientIP(`10.0.0/8`) ; 0 ; ClientIP: invalid IP address \"10.0.0\"",
        "ClientIP(`256.1.1.1`) ; 0 ; ClientIP: invalid IP address \"256.1.1.1\"",
        "ClientIP(`example.com`) ; 0 ; ClientIP: invalid IP address \"example.com\"",
        "ClientIP(`1.2.3.4/`) ; 0 ; ClientIP: invalid CIDR prefix length",
        "ClientIP(`fe80::1::2`) ; 0 ; ClientIP: invalid IP address",
        "Method(``) ; 0 ; Method: expected a non-empty argument",
        "Host(`a.com`) && $ ; 17 ; unexpected character '$'",
        "! ; 1 ; expected a matcher, '!' or '(' but found end of rule",
        "() ; 1 ; expected a matcher, '!' or '(' but found ')'",
    })
    void rejectsBadRulesSayingWhereAndWhat(String rule, int position, String message) {
        assertThatThrownBy(() -> parser.parse(rule))
                .isInstanceOfSatisfying(RuleSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.detail()).startsWith(message);
                    assertThat(e.getMessage()).isEqualTo("at position " + position + ": " + e.detail());
                });
    }

    @org.junit.jupiter.api.Test
    void rejectsAbsurdNestingInsteadOfOverflowingTheStack() {
        String rule = "(".repeat(10_000) + "Path(`/`)" + ")".repeat(10_000);
        assertThatThrownBy(() -> parser.parse(rule)).isInstanceOf(RuleSyntaxException.class)
                .hasMessageContaining("nested deeper than " + RuleParser.MAX_DEPTH);
    }

    @org.junit.jupiter.api.Test
    void acceptsNestingUpToTheLimit() throws RuleSyntaxException {
        int depth = RuleParser.MAX_DEPTH;
        assertThat(parser.parse("(".repeat(depth) + "Path(`/`)" + ")".repeat(depth))
                .matches(TestRequest.to("a.com", "/"))).isTrue();
    }
}
