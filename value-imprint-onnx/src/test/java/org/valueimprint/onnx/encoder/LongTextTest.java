package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The two long-text policies on real texts, and where windows go. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongTextTest {
    private static final String COOKING = "To bake bread, mix flour, water, yeast and salt, knead the dough until it"
            + " is smooth, let it rise for an hour, shape the loaf and bake it in a hot oven until the crust is"
            + " golden brown. ";
    private static final String CARS = "To change a car tyre, loosen the wheel nuts, raise the car with a jack,"
            + " remove the flat tyre, fit the spare wheel, tighten the nuts in a star pattern and check the tyre"
            + " pressure. ";

    private OnnxTextEncoder windows;

    @BeforeAll
    void load() {
        windows = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults().withLongTextPolicy(LongTextPolicy.windows()));
    }

    @AfterAll
    void close() {
        windows.close();
    }

    @Test
    void aTextThatFitsGetsTheSameVectorUnderBothPolicies() {
        int checked = 0;
        for (String text : TestTexts.hhRlhf(8)) {
            if (windows.countTokens(text) <= 256) {
                assertThat(windows.embed(text)).isEqualTo(TestTexts.minilmQ().embed(text));
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
        assertThat(windows.info().longTextPolicy().describe()).isEqualTo("windows(overlap=64,max=16)");
    }

    @Test
    void windowsSeeTheEndOfALongTextThatTruncationCutsOff() {
        String text = COOKING.repeat(8) + CARS.repeat(8); // about 330 + 330 tokens
        assertThat(windows.countTokens(text)).isGreaterThan(600);
        float[] truncated = TestTexts.minilmQ().embed(text);
        float[] windowed = windows.embed(text);
        float[][] parts = TestTexts.minilmQ().embed(List.of(COOKING, CARS));
        double truncatedToCars = TestTexts.cosine(truncated, parts[1]);
        double windowedToCars = TestTexts.cosine(windowed, parts[1]);
        System.out.printf("[encoder] cosine to the text's second topic: truncate %.3f, windows %.3f%n",
                truncatedToCars, windowedToCars);
        assertThat(windowedToCars).isGreaterThan(truncatedToCars + 0.2);
        assertThat(TestTexts.cosine(windowed, parts[0])).isGreaterThan(0.5); // and still sees the first topic
        assertThat(TestTexts.norm(windowed)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void aMegabyteTextIsEncodedWithBoundedWindows() {
        String big = TestTexts.longText(1_000_000);
        long t0 = System.nanoTime();
        float[] v = windows.embed(big);
        System.out.printf("[encoder] 1 MB text, windows (16 at most): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        assertThat(TestTexts.norm(v)).isCloseTo(1.0, within(1e-5));
        assertThat(windows.sequenceLengths(List.of(big))).hasSize(16).containsOnly(256);
        assertThat(TestTexts.cosine(v, TestTexts.minilmQ().embed(big))).isLessThan(0.99);
    }

    @Test
    void windowStartsByHand() {
        // fits: one window
        assertThat(OnnxTextEncoder.windowStarts(254, 254, 64, 16)).containsExactly(0);
        // 300 tokens, windows of 254 sharing 64 (step 190): two windows, the last ending at the last token
        assertThat(OnnxTextEncoder.windowStarts(300, 254, 64, 16)).containsExactly(0, 46);
        // 1000 tokens: starts every 190, then 746 = 1000 - 254
        assertThat(OnnxTextEncoder.windowStarts(1000, 254, 64, 16)).containsExactly(0, 190, 380, 570, 746);
        // at most 3 windows: spread evenly from 0 to 746
        assertThat(OnnxTextEncoder.windowStarts(1000, 254, 64, 3)).containsExactly(0, 373, 746);
        assertThat(OnnxTextEncoder.windowStarts(1000, 254, 64, 1)).containsExactly(0);
    }

    @Property
    void windowsStartAtTheFirstTokenEndAtTheLastAndOverlapAsAsked(
            @ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 2, max = 600) int capacity,
            @ForAll @IntRange(min = 0, max = 599) int overlap, @ForAll @IntRange(min = 1, max = 40) int maxWindows) {
        int ov = overlap % capacity;
        int[] starts = OnnxTextEncoder.windowStarts(n, capacity, ov, maxWindows);
        assertThat(starts[0]).isZero();
        assertThat(starts.length).isBetween(1, maxWindows);
        if (n <= capacity) {
            assertThat(starts).containsExactly(0);
            return;
        }
        if (maxWindows > 1) {
            assertThat(starts[starts.length - 1] + capacity).isEqualTo(n);
        }
        for (int i = 1; i < starts.length; i++) {
            assertThat(starts[i]).isGreaterThanOrEqualTo(starts[i - 1]);
        }
        long needed = 1 + ((long) n - capacity + (capacity - ov) - 1) / (capacity - ov);
        if (needed <= maxWindows) { // not capped: every token is covered, and neighbours share at least ov
            for (int i = 1; i < starts.length; i++) {
                assertThat(starts[i] - starts[i - 1]).isLessThanOrEqualTo(capacity - ov);
            }
        }
    }
}
