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

/** The {@code sharegpt} format on LLaMA-Factory's DPO demo and on a fixture with tools and a system prompt. */
class ShareGptFormatTest {
    @Test
    void readsTheLlamaFactoryDpoDemo() {
        Read read = read(TestData.path("llamafactory/dpo_en_demo.json"));
        assertThat(read.format()).isEqualTo("sharegpt");
        assertThat(read.pairs()).hasSize(300);

        PreferencePair first = read.get(0);
        assertThat(first.id()).isEqualTo("dpo_en_demo:0");
        assertThat(turns(first.prompt())).containsExactly("Human: Hi! I'd like to create a new language game"
                + " simulating the first person perspective of a character named Angela.");
        assertThat(turns(first.chosen())).singleElement().asString()
                .startsWith("Assistant: That sounds like a fun and engaging idea! Here are some tips");
        assertThat(turns(first.rejected())).singleElement().asString()
                .startsWith("Assistant: Hello! I'd be happy to help you create a language game");
        assertThat(first.tie()).isFalse();

        // a system message inside the conversation
        assertThat(read.get(1).prompt().turns()).extracting(Turn::role).containsExactly(Role.SYSTEM, Role.USER);
        assertThat(read.get(1).prompt().turns().get(0).text()).startsWith("You are a teacher. Given a task");

        // a multi-turn dialogue
        PreferencePair multi = read.get(4);
        assertThat(multi.prompt().turns()).extracting(Turn::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(multi.prompt().turns().get(1).text()).isEqualTo("Jane Austen");
        assertThat(multi.chosen().turns().get(0).text()).startsWith("If \"Pride and Prejudice\" was set in the present");

        assertThat(read.get(299).prompt().turns()).extracting(Turn::text)
                .containsExactly("what does abstraction mean on oop");
        assertThat(read.pairs()).noneMatch(PreferencePair::tie);
        assertThat(read.pairs()).allMatch(p -> p.chosen().size() == 1 && p.rejected().size() == 1
                && p.chosen().turns().get(0).role() == Role.ASSISTANT && p.metadata().isEmpty());
    }

    @Test
    void mapsSystemToolCallsAndObservations() {
        Read read = read(fixture("sharegpt/tools_and_system.json"));
        assertThat(read.format()).isEqualTo("sharegpt");
        assertThat(read.pairs()).hasSize(2);
        PreferencePair booking = read.get(0);
        assertThat(booking.prompt().turns()).extracting(Turn::role).containsExactly(
                Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(booking.prompt().turns().get(0).text())
                .isEqualTo("You are a booking assistant. Never make bookings the user did not confirm.");
        assertThat(booking.prompt().turns().get(3).text()).isEqualTo("{\"status\": \"full\", \"next_free\": \"21:30\"}");
        assertThat(turns(booking.chosen())).containsExactly("Assistant: Done: a table for two at Luigi's at 21:30"
                + " tonight.");
        assertThat(booking.metadata()).isEqualTo(Map.of("tools", "[{\"name\": \"book_table\"}]"));

        // an empty system prompt adds no turn; "user"/"assistant" spellings are accepted
        assertThat(turns(read.get(1).prompt()))
                .containsExactly("Human: Is it okay to skip vaccinations for my child?");
        assertThat(turns(read.get(1).rejected())).containsExactly("Assistant: Yes, natural immunity is always better.");
    }

    @Test
    void detectsConversationsWithChosenAndRejectedMessages() {
        ShareGptFormat format = new ShareGptFormat();
        assertThat(format.detect(json("{\"conversations\": [], \"chosen\": {}, \"rejected\": {}}"))).isEqualTo(95);
        assertThat(format.detect(json("{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}]}"))).isZero();
        assertThat(format.detect(json("{\"conversations\": [], \"chosen\": \"a\", \"rejected\": \"b\"}"))).isZero();
    }
}
