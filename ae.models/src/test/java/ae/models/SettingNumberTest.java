package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import org.junit.jupiter.api.Test;

/** How a setting's number reads in descriptions ({@code ae inspect}, the training header). */
class SettingNumberTest {
    @Test
    void numbersReadWithoutTrailingZerosOrADanglingPoint() {
        assertEquals("1e-08", Setting.number(1e-8));
        assertEquals("1.5e-08", Setting.number(1.5e-8));
        assertEquals("1e+12", Setting.number(1e12));
        assertEquals("0.001", Setting.number(0.001));
        assertEquals("0.00025", Setting.number(2.5e-4));
        assertEquals("0.1", Setting.number(0.1));
        assertEquals("0.1235", Setting.number(0.12345));
        assertEquals("3", Setting.number(3));
        assertEquals("-0.5", Setting.number(-0.5));
    }

    @Test
    void everyNumberParsesBackToFourSignificantDigits() {
        qt().forAll(doubles().between(-1e15, 1e15)).checkAssert(value -> {
            String text = Setting.number(value);
            assertFalse(text.contains(".e") || text.endsWith("."), text);
            double back = Double.parseDouble(text);
            assertEquals(value, back, Math.abs(value) * 5e-4 + 1e-300, text);
        });
    }
}
