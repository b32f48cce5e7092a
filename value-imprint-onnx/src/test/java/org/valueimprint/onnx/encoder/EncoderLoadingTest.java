package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ModelException;

/** Loading from each kind of source, refusing bad models and options, and the encoder's life cycle. */
class EncoderLoadingTest {
    @TempDir
    Path dir;

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = EncoderLoadingTest.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }

    @Test
    void aDirectorySourceLoadsTheSameModelAsTheJar() throws IOException {
        Path model = Files.createDirectory(dir.resolve("minilm-copy"));
        copyResource("all-minilm-l6-v2-q.onnx", model.resolve("model.onnx"));
        copyResource("all-minilm-l6-v2-q-tokenizer.json", model.resolve("tokenizer.json"));
        OnnxTextEncoder named = TestTexts.minilmQ();
        List<String> texts = TestTexts.hhRlhfShort(8);

        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.directory(model))) {
            assertThat(encoder.info().id()).isEqualTo("minilm-copy");
            assertThat(encoder.info().source()).isEqualTo("directory:" + model.toAbsolutePath());
            assertThat(encoder.info().sha256()).isEqualTo(named.info().sha256());
            assertThat(encoder.embed(texts)).isDeepEqualTo(named.embed(texts));
        }
    }

    @Test
    void aDirectoryDeclaresItsPoolingTheSentenceTransformersWay() throws IOException {
        assertThat(EncoderSource.directory(dir).defaultPooling()).isEqualTo(Pooling.MEAN);
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"),
                "{\"word_embedding_dimension\": 384, \"pooling_mode_cls_token\": true,"
                        + " \"pooling_mode_mean_tokens\": false}");
        assertThat(EncoderSource.directory(dir).defaultPooling()).isEqualTo(Pooling.CLS);
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.directory(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining("no model.onnx in " + dir.toAbsolutePath());
        Files.write(dir.resolve("model.onnx"), tinyModel(true));
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.directory(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining("no tokenizer.json in");
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.classpath("nowhere/model.onnx", "x.json")))
                .isInstanceOf(ModelException.class).hasMessageContaining("nowhere/model.onnx");
        assertThatThrownBy(() -> EncoderSource.named("gpt-5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gpt-5").hasMessageContaining("bge-small-en-v15-q");
    }

    @Test
    void aFileThatIsNotAnOnnxModelIsRefused() throws IOException {
        Files.writeString(dir.resolve("model.onnx"), "this is not a protobuf model, just some text\n".repeat(50));
        copyResource("all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.directory(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining("cannot load the ONNX model directory:");
    }

    @Test
    void aModelWithOtherInputsIsRefusedWithWhatWasFound() throws IOException {
        Files.write(dir.resolve("model.onnx"), tinyModel(false));
        copyResource("all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.directory(dir)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("is not a text encoder")
                .hasMessageContaining("needs int64 inputs input_ids and attention_mask")
                .hasMessageContaining("found inputs pixels FLOAT[-1, -1, -1]");
    }

    @Test
    void aModelWithoutAHiddenStateOutputIsRefusedWithWhatWasFound() throws IOException {
        Files.write(dir.resolve("model.onnx"), tinyModel(true));
        copyResource("all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.directory(dir)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("needs a float output [batch, sequence, hidden]")
                .hasMessageContaining("found outputs logits INT64[-1, -1]");
    }

    /** An Identity graph: with encoder inputs and an int64 output, or with an image-like float input. */
    private static byte[] tinyModel(boolean encoderInputs) {
        if (encoderInputs) {
            return TinyOnnx.identity(new TinyOnnx.Value[] {
                new TinyOnnx.Value("input_ids", TinyOnnx.INT64, 2),
                new TinyOnnx.Value("attention_mask", TinyOnnx.INT64, 2)},
                    new TinyOnnx.Value("logits", TinyOnnx.INT64, 2));
        }
        return TinyOnnx.identity(new TinyOnnx.Value[] {new TinyOnnx.Value("pixels", TinyOnnx.FLOAT, 3)},
                new TinyOnnx.Value("out", TinyOnnx.FLOAT, 3));
    }

    @Test
    void aMaximumLengthBeyondTheModelsPositionsIsRefusedAtLoad() {
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults().withMaxLength(600)))
                .isInstanceOf(ModelException.class).hasMessageContaining("fails on a sequence of 600 tokens");
    }

    @Test
    void optionsThatLeaveNoRoomForTextAreRefused() {
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults().withMaxLength(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves no room for text");
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults().withMaxLength(64).withLongTextPolicy(LongTextPolicy.windows(62, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window overlap 62 must be less than the 62 text tokens");
    }

    @Test
    void clsPoolingGivesOtherVectorsThanMeanPooling() {
        List<String> texts = TestTexts.hhRlhfShort(6);
        float[][] mean = TestTexts.minilmQ().embed(texts);
        try (OnnxTextEncoder cls = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults().withPooling(Pooling.CLS))) {
            assertThat(cls.info().pooling()).isEqualTo(Pooling.CLS);
            float[][] first = cls.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(TestTexts.norm(first[i])).isBetween(0.99999, 1.00001);
                assertThat(TestTexts.cosine(first[i], mean[i])).isLessThan(0.98);
            }
        }
    }

    @Test
    void closingTwiceIsSafeAndUseAfterCloseFailsClearly() {
        OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults().withMaxLength(32));
        assertThat(encoder.embed("Human: hi")).hasSize(384);
        encoder.close();
        encoder.close();
        assertThatThrownBy(() -> encoder.embed("Human: hi"))
                .isInstanceOf(IllegalStateException.class).hasMessage("the encoder all-minilm-l6-v2-q is closed");
        assertThatThrownBy(() -> encoder.countTokens("Human: hi")).isInstanceOf(IllegalStateException.class);
        assertThat(encoder.info().maxLength()).isEqualTo(32);
        assertThat(encoder.dimension()).isEqualTo(384);
    }
}
