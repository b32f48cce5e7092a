package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.ChatFixtures.fixture;
import static org.valueimprint.io.internal.formats.ChatFixtures.json;
import static org.valueimprint.io.internal.formats.ChatFixtures.read;
import static org.valueimprint.io.internal.formats.ChatFixtures.turns;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.Role;
import org.valueimprint.data.Turn;
import org.valueimprint.io.TestData;
import org.valueimprint.io.internal.formats.ChatFixtures.Read;

/** The {@code llamafactory-v1} format on LLaMA-Factory's v1 DPO demo and on a fixture with tools and reasoning. */
class LlamaFactoryV1FormatTest {
    @Test
    void readsTheV1DpoDemo() {
        Read read = read(TestData.path("llamafactory/v1_dpo_demo.jsonl"));
        assertThat(read.format()).isEqualTo("llamafactory-v1");
        assertThat(read.pairs()).hasSize(10);

        PreferencePair first = read.get(0);
        assertThat(first.id()).isEqualTo("v1_dpo_demo:0");
        assertThat(turns(first.prompt())).containsExactly(
                "System: You are an AI assistant. You will be given a task. You must generate a detailed and long"
                        + " answer.",
                "Human: Abdulah Hasanagic este mândrul proprietar al AS Company din Gorazde, un orăşel situat pe"
                        + " malul râului Drina, lângă frontiera cu Serbia, în estul Bosniei.\n\nTranslate to English"
                        + "\n\nEnglish:");
        assertThat(turns(first.chosen())).containsExactly("Assistant: Abdulah Hasanagic is the proud owner of AS"
                + " Company in Gorazde, a small town located on the banks of the Drina River, near the border with"
                + " Serbia, in Eastern Bosnia.");
        // the leading space of the rejected reply is kept
        assertThat(turns(first.rejected())).containsExactly("Assistant:  Abdulah Hasanagic is the proud owner of AS"
                + " Company, a small town located on the banks of the Drina River, near the border with Serbia, in"
                + " eastern Bosnia.");
        assertThat(first.metadata()).isEmpty();

        PreferencePair last = read.get(9);
        assertThat(last.prompt().turns().get(1).text()).startsWith("Iwasaki's careful respect for the Long Beach");
        assertThat(last.chosen().turns().get(0).text()).startsWith("No\n\nThe response does not correctly answer");
        assertThat(last.rejected().turns().get(0).text()).startsWith(" Yes, the response correctly answers");
        assertThat(read.pairs()).allSatisfy(p -> {
            assertThat(p.prompt().turns()).extracting(Turn::role).containsExactly(Role.SYSTEM, Role.USER);
            assertThat(p.chosen().turns()).extracting(Turn::role).containsExactly(Role.ASSISTANT);
            assertThat(p.tie()).isFalse();
        });
    }

    @Test
    void keepsTextPartsAndMapsTheToolRole() {
        Read read = read(fixture("llamafactory-v1/tool_and_reasoning.jsonl"));
        assertThat(read.format()).isEqualTo("llamafactory-v1");
        assertThat(read.pairs()).hasSize(2);
        PreferencePair calc = read.get(0);
        assertThat(turns(calc.prompt())).containsExactly(
                "System: You are a helpful assistant with a calculator tool.",
                "Human: What is 17% of 2,340?",
                "Assistant: ",
                "Human: 397.8");
        assertThat(turns(calc.chosen())).containsExactly("Assistant: 17% of 2,340 is 397.8.");
        assertThat(turns(calc.rejected())).containsExactly("Assistant: About 400, I think.");
        assertThat(calc.metadata()).isEqualTo(Map.of("extra_info", "calculator demo", "_dataset_name", "toolcall_dpo"));
        assertThat(turns(read.get(1).chosen())).containsExactly(
                "Assistant: Plain words, spoken true\nlighter than the clever lie\ncarried all day long");
    }

    @Test
    void detectsTheTwoMessageLists() {
        LlamaFactoryV1Format format = new LlamaFactoryV1Format();
        assertThat(format.detect(json("{\"chosen_messages\": [], \"rejected_messages\": []}"))).isEqualTo(95);
        assertThat(format.detect(json("{\"messages\": [], \"rejected_messages\": []}"))).isZero();
    }
}
