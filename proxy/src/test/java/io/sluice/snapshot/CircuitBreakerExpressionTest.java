package io.sluice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CircuitBreakerExpressionTest {
    /** 20% network errors, 30% 5xx among 0-599, p50 = 80 ms, p99 = 900 ms. */
    private static final CircuitBreakerExpression.Stats STATS = new CircuitBreakerExpression.Stats() {
        @Override
        public double networkErrorRatio() {
            return 0.2;
        }

        @Override
        public double responseCodeRatio(int from, int to, int dividedFrom, int dividedTo) {
            return from == 500 && to == 600 && dividedFrom == 0 && dividedTo == 600 ? 0.3 : 0;
        }

        @Override
        public double latencyAtQuantileMillis(double quantile) {
            return quantile >= 99 ? 900 : 80;
        }
    };

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = " => ", value = {
        "NetworkErrorRatio() > 0.5 => false",
        "NetworkErrorRatio() > 0.1 => true",
        "NetworkErrorRatio() >= 0.2 => true",
        "NetworkErrorRatio() != 0.2 => false",
        "ResponseCodeRatio(500, 600, 0, 600) > 0.25 => true",
        "LatencyAtQuantileMS(50.0) > 100 => false",
        "LatencyAtQuantileMS(99) > 100 => true",
        "NetworkErrorRatio() > 0.5 || LatencyAtQuantileMS(99.0) > 500 => true",
        "NetworkErrorRatio() > 0.1 && LatencyAtQuantileMS(50) > 100 => false",
        "NetworkErrorRatio() > 0.9 && LatencyAtQuantileMS(50) > 1 || ResponseCodeRatio(500,600,0,600) > 0.1 => true",
        "NetworkErrorRatio() > 0.9 && (LatencyAtQuantileMS(50) > 1 || ResponseCodeRatio(500,600,0,600) > 0.1) => false",
        "  ( NetworkErrorRatio()<0.5 )  => true",
    })
    void evaluatesTraefikExpressions(String expression, boolean holds) {
        assertThat(CircuitBreakerExpression.parse(expression).holds(STATS)).isEqualTo(holds);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiterString = " => ", value = {
        "'' => empty",
        "NetworkErrorRatio > 0.5 => expected \"(\"",
        "NetworkErrors() > 0.5 => unknown metric \"NetworkErrors\"",
        "NetworkErrorRatio() => expected a comparison operator",
        "NetworkErrorRatio() > => expected a number",
        "ResponseCodeRatio(500, 600) > 0.5 => expected \",\"",
        "ResponseCodeRatio(600, 500, 0, 600) > 0.5 => from < to",
        "LatencyAtQuantileMS(150) > 10 => quantile must be in (0, 100]",
        "NetworkErrorRatio() > 0.5 && => unknown metric \"\"",
        "NetworkErrorRatio() > 0.5 extra => unexpected \"extra\"",
        "(NetworkErrorRatio() > 0.5 => expected \")\"",
    })
    void refusesWithWhatIsWrong(String expression, String message) {
        assertThatThrownBy(() -> CircuitBreakerExpression.parse(expression))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
