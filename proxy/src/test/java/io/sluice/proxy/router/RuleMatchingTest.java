package io.sluice.proxy.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleMatchingTest {
    private final RuleParser parser = new RuleParser();

    private boolean matches(String rule, TestRequest request) throws RuleSyntaxException {
        return parser.parse(rule).matches(request);
    }

    @ParameterizedTest(name = "{0} on {1} {2}{3} -> {4}")
    @CsvSource(delimiter = ';', value = {
        "Host(`a.example.com`) ; GET ; a.example.com ; /x ; true",
        "Host(`A.Example.COM`) ; GET ; a.example.com ; /x ; true",
        "Host(`a.example.com.`) ; GET ; a.example.com ; /x ; true",
        "Host(`a.example.com`) ; GET ; b.example.com ; /x ; false",
        "Host(`example.com`) ; GET ; a.example.com ; /x ; false",
        "HostRegexp(`example`) ; GET ; a.example.com ; / ; true",
        "HostRegexp(`^example`) ; GET ; a.example.com ; / ; false",
        "HostRegexp(`^[a-z]+\\.example\\.com$`) ; GET ; api.example.com ; / ; true",
        "HostRegexp(`^[a-z]+\\.example\\.com$`) ; GET ; a.b.example.com ; / ; false",
        "Path(`/api`) ; GET ; h ; /api ; true",
        "Path(`/api`) ; GET ; h ; /api/ ; false",
        "Path(`/api`) ; GET ; h ; /API ; false",
        "PathPrefix(`/api`) ; GET ; h ; /api/v1 ; true",
        "PathPrefix(`/api`) ; GET ; h ; /apis ; true",
        "PathPrefix(`/api/`) ; GET ; h ; /api ; false",
        "PathPrefix(`/`) ; GET ; h ; /anything ; true",
        "PathRegexp(`/v[0-9]+/`) ; GET ; h ; /api/v2/users ; true",
        "PathRegexp(`^/v[0-9]+/`) ; GET ; h ; /api/v2/users ; false",
        "PathRegexp(`(?i)^/API`) ; GET ; h ; /api ; true",
        "Method(`GET`) ; GET ; h ; / ; true",
        "Method(`get`) ; GET ; h ; / ; true",
        "Method(`POST`) ; GET ; h ; / ; false",
        "Host(`a.com`) && Path(`/x`) ; GET ; a.com ; /x ; true",
        "Host(`a.com`) && Path(`/x`) ; GET ; a.com ; /y ; false",
        "Host(`a.com`) || Host(`b.com`) ; GET ; b.com ; / ; true",
        "Host(`a.com`) || Host(`b.com`) ; GET ; c.com ; / ; false",
        "!Host(`a.com`) ; GET ; c.com ; / ; true",
        "!Host(`a.com`) ; GET ; a.com ; / ; false",
        "Host(`a.com`) || Host(`b.com`) && Path(`/only`) ; GET ; a.com ; /other ; true",
        "Host(`a.com`) || Host(`b.com`) && Path(`/only`) ; GET ; b.com ; /other ; false",
        "(Host(`a.com`) || Host(`b.com`)) && Path(`/only`) ; GET ; a.com ; /other ; false",
        "!Method(`GET`) && !Method(`HEAD`) ; POST ; h ; / ; true",
        "!(Method(`GET`) || Method(`HEAD`)) ; HEAD ; h ; / ; false",
        "Path(\"/a\\\"b\") ; GET ; h ; /a\"b ; true",
        "Path(\"/caf\\u00e9\") ; GET ; h ; /café ; true",
    })
    void matchesHostPathMethodAndLogic(String rule, String method, String host, String path, boolean expected)
            throws RuleSyntaxException {
        assertThat(matches(rule, TestRequest.to(host, path).method(method))).isEqualTo(expected);
    }

    @Test
    void headersCompareNamesCaseInsensitivelyAndAnyValue() throws RuleSyntaxException {
        TestRequest request = TestRequest.to("h", "/").header("X-Env", "staging").header("x-env", "canary");
        assertThat(matches("Header(`x-env`, `canary`)", request)).isTrue();
        assertThat(matches("Header(`X-Env`, `Canary`)", request)).isFalse();
        assertThat(matches("Header(`X-Other`, `canary`)", request)).isFalse();
        assertThat(matches("HeaderRegexp(`X-Env`, `^can`)", request)).isTrue();
        assertThat(matches("HeaderRegexp(`X-Env`, `^prod`)", request)).isFalse();
    }

    @Test
    void queryMatchesPresenceValueAndRegexp() throws RuleSyntaxException {
        TestRequest request = TestRequest.to("h", "/").query("debug", "").query("id", "42").query("id", "x");
        assertThat(matches("Query(`debug`)", request)).isTrue();
        assertThat(matches("Query(`verbose`)", request)).isFalse();
        assertThat(matches("Query(`id`, `x`)", request)).isTrue();
        assertThat(matches("Query(`id`, `4`)", request)).isFalse();
        assertThat(matches("QueryRegexp(`id`, `^[0-9]+$`)", request)).isTrue();
        assertThat(matches("QueryRegexp(`debug`, `.`)", request)).isFalse();
    }

    @ParameterizedTest(name = "ClientIP({0}) from {1} -> {2}")
    @CsvSource({
        "10.0.0.0/8, 10.1.2.3, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.1.7, 192.168.1.7, true",
        "192.168.1.7, 192.168.1.8, false",
        "0.0.0.0/0, 203.0.113.9, true",
        "172.16.0.0/12, 172.31.255.255, true",
        "172.16.0.0/12, 172.32.0.0, false",
        "10.0.0.0/8, ::1, false",
        "::1, ::1, true",
        "2001:db8::/32, 2001:db8:1::5, true",
        "2001:db8::/32, 2001:db9::5, false",
        "2001:db8::/33, 2001:db8:8000::1, false",
        "2001:db8::/33, 2001:db8:7fff::1, true",
        "::/0, 1.2.3.4, false",
    })
    void clientIpMatchesAddressesAndRanges(String range, String client, boolean expected)
            throws RuleSyntaxException {
        assertThat(matches("ClientIP(`" + range + "`)", TestRequest.to("h", "/").from(client))).isEqualTo(expected);
    }

    @Test
    void regexpsRunInLinearTimeOnAdversarialInput() throws RuleSyntaxException {
        RequestMatcher matcher = parser.parse("PathRegexp(`^/(a+)+$`) || HeaderRegexp(`X`, `(a|aa)*c`)");
        String evil = "/" + "a".repeat(100_000) + "!";
        TestRequest request = TestRequest.to("h", evil).header("X", "a".repeat(100_000));
        long start = System.nanoTime();
        boolean result = matcher.matches(request);
        assertThat(result).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
