package dev.gpuplan.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Frontier budgets as lists and FROM:TO:STEP ranges. */
class BudgetRangeTest {

    @Test
    void parseReadsListsAndRanges() {
        assertThat(BudgetRange.parse("500,1000,2000")).containsExactly(new BigDecimal("500"), new BigDecimal("1000"), new BigDecimal("2000"));
        assertThat(BudgetRange.parse(" 500 , 1000.5 ")).containsExactly(new BigDecimal("500"), new BigDecimal("1000.5"));
        List<BigDecimal> range = BudgetRange.parse("500:4000:250");
        assertThat(range).hasSize(15);
        assertThat(range.get(0)).isEqualByComparingTo("500");
        assertThat(range.get(1)).isEqualByComparingTo("750");
        assertThat(range.get(14)).isEqualByComparingTo("4000");
        assertThat(BudgetRange.parse("500:1000:300")).as("the end is kept only when on a step")
                .extracting(BigDecimal::toPlainString).containsExactly("500", "800");
        assertThat(BudgetRange.parse("100:100:10")).extracting(BigDecimal::toPlainString).containsExactly("100");
    }

    @Test
    void parseRefusesBadForms() {
        for (String bad : List.of("", "abc", "500,,1000", "500,-1", "0", "500,0", "500:4000", "500:4000:250:1", "500:100:50",
                "500:4000:0", "500:4000:-250", "a:b:c", "1:100000:1", "-500:500:100")) {
            assertThat(BudgetRange.parse(bad)).as("'%s'", bad).isNull();
        }
    }
}
