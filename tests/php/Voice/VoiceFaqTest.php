<?php
/**
 * Spoken questions through the FAQ cache, answered by both pipelines against the OpenAI
 * simulator, whose request log (filtered by this test's marker) proves which provider calls
 * a turn made; and the `on_usage` metering hook.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Voice;

use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Faq_Answer;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Stats;
use VoiceVisionChat\Cache\Personal_Data;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Media\Audio_Validator;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Upstream\Simulator;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Upstream\Upstream_Error;
use VoiceVisionChat\Voice\Voice_Answerer;
use VoiceVisionChat\Voice\Voice_Pipeline;

require_once __DIR__ . '/Voice_Test_Support.php';

/**
 * Voice_Faq through Chained_Pipeline and Native_Audio_Pipeline.
 *
 * @phpstan-import-type Usage_Entry from Voice_Pipeline
 * @phpstan-import-type Voice_Turn from \VoiceVisionChat\Voice\Voice_Request_Builder
 */
final class VoiceFaqTest extends TestCase {

	private const KEY = 'sk-vvc-test-voice-faq-8e1f2a';

	/**
	 * This test's marker, letters only (digits would read as an order number, and questions
	 * with personal data are not cached): in the system prompt, the transcription prompt, the
	 * scripted transcript and the answers, so every request of the test carries it.
	 *
	 * @var string
	 */
	private string $marker;

	/**
	 * What on_usage received, in order.
	 *
	 * @var list<Usage_Entry>
	 */
	private array $metered = array();

	protected function setUp(): void {
		parent::setUp();
		$this->marker = strtr( Simulator::marker( 'voicefaq' ), '0123456789', 'ghijklmnop' );
		$this->configure( array() );
		$marker = $this->marker;
		add_filter( 'vvc_transcription_prompt', static fn (): string => 'Shop words. ' . $marker );
	}

	protected function tearDown(): void {
		remove_all_filters( 'vvc_transcription_prompt' );
		parent::tearDown();
	}

	/**
	 * Points the plugin at the simulator with these settings on top of the test's own.
	 *
	 * @param array<string, mixed> $settings Settings.
	 */
	private function configure( array $settings ): void {
		Simulator::configure(
			self::KEY,
			$settings + array(
				'system_prompt'  => 'You are the test shop assistant. ' . $this->marker,
				'text_model'     => 'gpt-5.4-nano',
				'image_model'    => 'gpt-5.4-mini',
				'voice_pipeline' => 'chained',
				'faq_min_asks'   => 1,
			)
		);
	}

	/**
	 * The voice side as the plugin wires it: with the FAQ cache, on the current settings.
	 */
	private function answerer(): Voice_Answerer {
		$settings   = new Settings();
		$normalizer = new Question_Normalizer();
		$version    = new Cache_Version();
		$cache      = new Faq_Cache( $settings, $normalizer, new Curated_Faq_Store( $normalizer, $version ), new Faq_Stats(), $version, new Personal_Data() );
		return Voice_Answerer::create( $settings, Simulator::client(), new Chat_Request_Builder( $settings ), null, $cache );
	}

	/**
	 * A voice turn with a fixture recording; on_usage collects into $this->metered.
	 *
	 * @param list<array{role: 'user'|'assistant', content: string}>                          $history Earlier turns.
	 * @param array{data_url: string, mime: string, width: int, height: int, bytes: int}|null $image   Image.
	 * @return Voice_Turn
	 */
	private function turn( array $history = array(), ?array $image = null ): array {
		$audio = ( new Audio_Validator( new Settings() ) )->validate_bytes( (string) file_get_contents( Voice_Test_Support::FIXTURES . 'question-16k-mono.mp3' ) );
		$this->assertIsArray( $audio );
		return array(
			'audio'    => $audio,
			'message'  => '',
			'history'  => $history,
			'image'    => $image,
			'visitor'  => 'visitor-voice-faq',
			'on_usage' => function ( array $entry ): void {
				$this->metered[] = $entry;
			},
		);
	}

	/**
	 * The photo fixture as Image_Validator hands it over.
	 *
	 * @return array{data_url: string, mime: string, width: int, height: int, bytes: int}
	 */
	private function photo(): array {
		$bytes = (string) file_get_contents( __DIR__ . '/../fixtures/images/photo.png' );
		$size  = (array) getimagesizefromstring( $bytes );
		return array(
			'data_url' => 'data:image/png;base64,' . base64_encode( $bytes ),
			'mime'     => 'image/png',
			'width'    => (int) $size[0],
			'height'   => (int) $size[1],
			'bytes'    => strlen( $bytes ),
		);
	}

	/**
	 * Scripts what the visitor "says" and, optionally, what the text model answers.
	 *
	 * @param string      $transcript Scripted transcript.
	 * @param int         $asks       How many transcriptions get it.
	 * @param string|null $reply      The model's reply, for one chat request; none when null.
	 */
	private function script( string $transcript, int $asks, ?string $reply = null ): void {
		$this->script_path( '/v1/audio/transcriptions', array( 'reply' => array( 'transcript' => $transcript ) ), $asks );
		if ( null !== $reply ) {
			$this->script_path( '/v1/chat/completions', array( 'reply' => array( 'content' => $reply ) ) );
		}
	}

	/**
	 * Scripts a reply or fault for this test's requests to one endpoint.
	 *
	 * @param string               $path      API path.
	 * @param array<string, mixed> $behaviour `reply` or `fault`.
	 * @param int                  $times     How many requests get it.
	 */
	private function script_path( string $path, array $behaviour, int $times = 1 ): void {
		Simulator::script(
			array(
				'match' => array(
					'path'     => $path,
					'contains' => $this->marker,
				),
				'times' => $times,
			) + $behaviour
		);
	}

	/**
	 * How many requests of this test reached each endpoint, each checked against the spec.
	 *
	 * @return array{transcriptions: int, chat: int, speech: int}
	 */
	private function calls(): array {
		$count = array();
		foreach ( array(
			'transcriptions' => '/v1/audio/transcriptions',
			'chat'           => '/v1/chat/completions',
			'speech'         => '/v1/audio/speech',
		) as $name => $path ) {
			$requests = Voice_Test_Support::requests( $this->marker, $path );
			foreach ( $requests as $request ) {
				$this->assertSame( array( 'ok' => true ), $request['validation'], $path . ' is valid per the OpenAPI spec' );
			}
			$count[ $name ] = count( $requests );
		}
		return $count;
	}

	/**
	 * Adds a curated entry.
	 *
	 * @param string $question Question.
	 * @param string $answer   Answer.
	 */
	private function curate( string $question, string $answer ): void {
		$this->assertIsArray( ( new Curated_Faq_Store( new Question_Normalizer(), new Cache_Version() ) )->create( array( $question ), $answer ) );
	}

	/**
	 * Events collected from a streamed answer.
	 *
	 * @param Voice_Pipeline $pipeline The pipeline.
	 * @param array          $turn     The turn.
	 * @return array{0: Voice_Collecting_Writer, 1: array<string, mixed>}
	 * @phpstan-param Voice_Turn $turn
	 */
	private function stream( Voice_Pipeline $pipeline, array $turn ): array {
		$writer = new Voice_Collecting_Writer();
		$result = $pipeline->stream( $turn, static fn ( string $name, array $data ): bool => $writer->event( $name, $data ) );
		return array( $writer, $result );
	}

	/**
	 * Endpoints of what on_usage received.
	 *
	 * @return list<string>
	 */
	private function metered_endpoints(): array {
		return array_column( $this->metered, 'endpoint' );
	}

	public function test_second_spoken_ask_costs_only_its_transcription_and_reuses_the_speech(): void {
		$question = 'Do you ship to Canada ' . $this->marker . '?';
		$reply    = 'Yes, we ship to Canada within five days. ' . $this->marker;
		$this->script( $question, 2, $reply );
		$pipeline = $this->answerer()->pipeline( false );
		$this->assertSame( 'chained', $pipeline->name() );

		$first = $pipeline->answer( $this->turn() );
		$this->assertArrayNotHasKey( 'source', $first, 'the model answered' );
		$this->assertSame( $reply, $first['reply'] );
		$this->assertNotNull( $first['audio'] );
		$this->assertSame(
			array(
				'transcriptions' => 1,
				'chat'           => 1,
				'speech'         => 1,
			),
			$this->calls()
		);
		$chat = Voice_Test_Support::requests( $this->marker, '/v1/chat/completions' );
		$this->assertStringContainsString( '[[personal]]', (string) $chat[0]['body']['messages'][0]['content'], 'the cache asks the model to mark personal answers' );

		$second = $pipeline->answer( $this->turn() );
		$this->assertSame( 'faq', $second['source'] ?? null );
		$this->assertInstanceOf( Faq_Answer::class, $second['faq'] ?? null );
		$this->assertSame( Faq_Answer::CACHED, $second['faq']->source );
		$this->assertSame( $question, $second['transcript'], 'the visitor still sees what they said' );
		$this->assertSame( $reply, $second['reply'] );
		$this->assertSame( 'stop', $second['finish_reason'] );
		$this->assertNotNull( $second['audio'] );
		$this->assertSame( $first['audio']['data'], $second['audio']['data'], 'the speech made for the first ask' );
		$this->assertSame( 'mp3', Voice_Test_Support::probe( (string) base64_decode( $second['audio']['data'], true ) )['codec_name'] );
		$this->assertSame(
			array(
				'transcriptions' => 2,
				'chat'           => 1,
				'speech'         => 1,
			),
			$this->calls(),
			'the second ask made only the transcription call'
		);
		$this->assertSame( array( '/audio/transcriptions', '/chat/completions', '/audio/speech', '/audio/transcriptions' ), $this->metered_endpoints() );
		$this->assertSame( array( '/audio/transcriptions' ), array_column( $second['usage'], 'endpoint' ) );
	}

	public function test_streamed_asks_cache_the_pcm_speech_of_the_first_answer(): void {
		$question = 'What payment methods do you take ' . $this->marker . '?';
		$reply    = 'We take cards, bank transfers and cash on pickup at the shop. Ask us anything else! ' . $this->marker;
		$this->script( $question, 2, $reply );
		$pipeline = $this->answerer()->pipeline( false );

		list( $first, $first_result ) = $this->stream( $pipeline, $this->turn() );
		$this->assertFalse( $first_result['aborted'] );
		$this->assertArrayNotHasKey( 'source', $first_result );
		$this->assertSame( $reply, $first->text() );
		$speech_calls = $this->calls()['speech'];
		$this->assertGreaterThanOrEqual( 1, $speech_calls );

		list( $second, $second_result ) = $this->stream( $pipeline, $this->turn() );
		$this->assertFalse( $second_result['aborted'] );
		$this->assertSame( 'faq', $second_result['source'] ?? null );
		$this->assertSame( array( 'transcript', 'delta' ), array_slice( $second->names(), 0, 2 ) );
		$this->assertSame( array( array( 'text' => $question ) ), $second->of( 'transcript' ) );
		$this->assertSame( $reply, $second->text() );
		$audio = $second->of( 'audio' );
		$this->assertGreaterThan( 1, count( $audio ), 'played in pieces, not one huge event' );
		$this->assertSame( 'AI-generated voice', $audio[0]['label'] );
		$this->assertSame( $first->pcm(), $second->pcm(), 'the first answer\'s speech, replayed' );
		$this->assertSame( strlen( $second->pcm() ), $second_result['audio_bytes'] );
		$this->assertSame(
			array(
				'transcriptions' => 2,
				'chat'           => 1,
				'speech'         => $speech_calls,
			),
			$this->calls()
		);
	}

	public function test_curated_entry_answers_a_spoken_question_first_time_and_its_speech_is_made_once_per_format(): void {
		$this->configure( array( 'voice_pipeline' => 'native' ) );
		$question = 'What are your opening hours ' . $this->marker . '?';
		$answer   = 'We open at **nine** and close at six. ' . $this->marker;
		$this->curate( 'What are your opening hours ' . $this->marker, $answer );
		$this->script( 'Hi, what are your OPENING hours, ' . $this->marker . '?', 4 );
		$pipeline = $this->answerer()->pipeline( false );
		$this->assertSame( 'native', $pipeline->name() );

		$first = $pipeline->answer( $this->turn() );
		$this->assertSame( 'faq', $first['source'] ?? null );
		$this->assertSame( Faq_Answer::CURATED, $first['faq']->source ?? null );
		$this->assertSame( $answer, $first['reply'] );
		$this->assertNotNull( $first['audio'] );
		$mp3 = (string) base64_decode( $first['audio']['data'], true );
		$this->assertSame( 'mp3', Voice_Test_Support::probe( $mp3 )['codec_name'] );
		$speech = Voice_Test_Support::requests( $this->marker, '/v1/audio/speech' );
		$this->assertCount( 1, $speech );
		$this->assertSame( 'We open at nine and close at six. ' . $this->marker, $speech[0]['body']['input'], 'spoken without Markdown' );
		$this->assertSame( 'mp3', $speech[0]['body']['response_format'] );
		$this->assertSame(
			array(
				'transcriptions' => 1,
				'chat'           => 0,
				'speech'         => 1,
			),
			$this->calls(),
			'no audio model call'
		);

		$second = $pipeline->answer( $this->turn() );
		$this->assertSame( $first['audio']['data'], $second['audio']['data'] ?? null );
		$this->assertSame( 1, $this->calls()['speech'], 'one speech call for two asks' );

		// Streams play pcm: made once as well, then replayed.
		list( $third, $third_result ) = $this->stream( $pipeline, $this->turn() );
		list( $fourth )               = $this->stream( $pipeline, $this->turn() );
		$this->assertSame( 'faq', $third_result['source'] ?? null );
		$this->assertSame( array( 'transcript', 'delta' ), array_slice( $third->names(), 0, 2 ) );
		$this->assertSame( $answer, $fourth->text() );
		$this->assertNotSame( '', $third->pcm() );
		$this->assertSame( $third->pcm(), $fourth->pcm() );
		$this->assertGreaterThan( -40, Voice_Test_Support::rms_dbfs( $fourth->pcm() ), 'speech, not silence' );
		$this->assertSame(
			array(
				'transcriptions' => 4,
				'chat'           => 0,
				'speech'         => 2,
			),
			$this->calls()
		);

		$speech_entries = array_values( array_filter( $this->metered, static fn ( array $entry ): bool => '/audio/speech' === $entry['endpoint'] ) );
		$this->assertCount( 2, $speech_entries, 'speech made for the cache is metered' );
		foreach ( $speech_entries as $entry ) {
			$this->assertSame( mb_strlen( 'We open at nine and close at six. ' . $this->marker ), $entry['chars'] ?? null );
			$this->assertGreaterThan( 0.5, $entry['seconds'] ?? 0.0 );
			$this->assertSame( 'gpt-4o-mini-tts', $entry['model'] );
		}
	}

	public function test_native_stream_transcribes_first_and_never_caches_the_audio_model_s_answer(): void {
		$this->configure( array( 'voice_pipeline' => 'native' ) );
		$question = 'Do you have gift cards ' . $this->marker . '?';
		$this->script( $question, 2 );
		$this->script_path( '/v1/chat/completions', array( 'reply' => array( 'content' => 'Yes, gift cards come in any amount.' ) ), 2 );
		$pipeline = $this->answerer()->pipeline( false );

		list( $first, $result ) = $this->stream( $pipeline, $this->turn() );
		$this->assertFalse( $result['aborted'] );
		$this->assertSame( 'transcript', $first->names()[0], 'transcribed before the model answered' );
		$this->assertSame( 'Yes, gift cards come in any amount.', $first->text() );
		$requests = Voice_Test_Support::all_requests();
		$mine     = array_values( array_filter( $requests, fn ( array $r ): bool => str_contains( (string) wp_json_encode( $r['body'] ?? null ) . wp_json_encode( $r['multipart']['fields'] ?? null ), $this->marker ) ) );
		$this->assertSame( array( '/v1/audio/transcriptions', '/v1/chat/completions' ), array_column( $mine, 'path' ) );
		$this->assertStringNotContainsString( '[[personal]]', (string) wp_json_encode( $mine[1]['body']['messages'][0] ), 'the audio model would say the marker aloud' );
		$this->assertSame( array( '/audio/transcriptions', '/chat/completions' ), $this->metered_endpoints() );

		list( $second, $second_result ) = $this->stream( $pipeline, $this->turn() );
		$this->assertArrayNotHasKey( 'source', $second_result, 'the audio model\'s answers are not cached' );
		$this->assertSame( 'Yes, gift cards come in any amount.', $second->text() );
		$this->assertSame(
			array(
				'transcriptions' => 2,
				'chat'           => 2,
				'speech'         => 0,
			),
			$this->calls()
		);
	}

	public function test_image_turns_and_later_questions_are_not_cached(): void {
		$question = 'Is this in stock ' . $this->marker . '?';
		$this->script( $question, 5 );
		$this->script_path( '/v1/chat/completions', array( 'reply' => array( 'content' => 'Yes, it is in stock today. ' . $this->marker ) ), 4 );
		$answerer = $this->answerer();
		$photo    = $this->photo();
		$this->assertSame( 'chained', $answerer->pipeline( true )->name() );
		foreach ( array( 1, 2 ) as $ask ) {
			$answer = $answerer->pipeline( true )->answer( $this->turn( array(), $photo ) );
			$this->assertArrayNotHasKey( 'source', $answer, 'image turn, ask ' . $ask );
		}
		$chat = Voice_Test_Support::requests( $this->marker, '/v1/chat/completions' );
		$this->assertCount( 2, $chat );
		$this->assertSame( 'gpt-5.4-mini', $chat[0]['body']['model'] );
		$this->assertStringNotContainsString( '[[personal]]', (string) $chat[0]['body']['messages'][0]['content'], 'nothing to mark: not cacheable' );

		$history = array(
			array(
				'role'    => 'user',
				'content' => 'I look at the blue jacket.',
			),
			array(
				'role'    => 'assistant',
				'content' => 'It is a nice one.',
			),
		);
		foreach ( array( 1, 2 ) as $ask ) {
			$answer = $answerer->pipeline( false )->answer( $this->turn( $history ) );
			$this->assertArrayNotHasKey( 'source', $answer, 'later question, ask ' . $ask );
		}
		$this->assertSame( 4, $this->calls()['chat'], 'every ask reached the model' );
		$this->assertNull( $answerer->pipeline( false )->answer( $this->turn() )['source'] ?? null, 'and nothing was stored for a first question either' );
	}

	public function test_personal_answers_are_neither_shown_marked_nor_spoken_marked_nor_cached(): void {
		$question = 'Where is my parcel ' . $this->marker . '?';
		$this->script( $question, 2 );
		$this->script_path( '/v1/chat/completions', array( 'reply' => array( 'content' => '[[personal]] Your parcel left our shop this morning. ' . $this->marker ) ), 2 );
		$pipeline = $this->answerer()->pipeline( false );

		$answer = $pipeline->answer( $this->turn() );
		$this->assertSame( 'Your parcel left our shop this morning. ' . $this->marker, $answer['reply'] );
		list( $events, $result ) = $this->stream( $pipeline, $this->turn() );
		$this->assertArrayNotHasKey( 'source', $result, 'not cached after the first ask' );
		$this->assertSame( 'Your parcel left our shop this morning. ' . $this->marker, $events->text() );
		foreach ( Voice_Test_Support::requests( $this->marker, '/v1/audio/speech' ) as $speech ) {
			$this->assertStringNotContainsString( 'personal', (string) $speech['body']['input'] );
		}
		$this->assertSame( 2, $this->calls()['chat'] );
	}

	public function test_on_usage_meters_each_call_as_it_returns_also_before_a_failure(): void {
		$question = 'Can I return shoes ' . $this->marker . '?';
		$this->script( $question, 2 );
		$this->script_path( '/v1/chat/completions', array( 'fault' => array( 'type' => 'invalid_api_key' ) ) );
		$pipeline = $this->answerer()->pipeline( false );
		try {
			$pipeline->answer( $this->turn() );
			$this->fail( 'the chat call failed' );
		} catch ( Upstream_Error $error ) {
			$this->assertSame( 'vvc_upstream_auth', $error->vvc_code() );
		}
		$this->assertCount( 1, $this->metered, 'the transcription, billed before the chat failed' );
		$this->assertSame( '/audio/transcriptions', $this->metered[0]['endpoint'] );
		$this->assertSame( 'gpt-transcribe', $this->metered[0]['model'] );
		$this->assertIsArray( $this->metered[0]['usage'] );
		$this->assertGreaterThan( 0.5, $this->metered[0]['seconds'] ?? 0.0 );

		// Speech fails, the text stands: transcription and chat are metered, the failed speech not.
		$this->metered = array();
		$this->script_path( '/v1/chat/completions', array( 'reply' => array( 'content' => 'Yes, within thirty days, unworn. ' . $this->marker ) ) );
		$this->script_path( '/v1/audio/speech', array( 'fault' => array( 'type' => 'invalid_api_key' ) ) );
		$answer = $pipeline->answer( $this->turn() );
		$this->assertSame( 'vvc_upstream_auth', $answer['audio_error']['code'] ?? null );
		$this->assertSame( array( '/audio/transcriptions', '/chat/completions' ), $this->metered_endpoints() );
		$this->assertSame( $this->metered, $answer['usage'], 'the result lists what on_usage got' );
		$this->assertIsArray( $this->metered[1]['usage'] );
		$this->assertGreaterThan( 0, $this->metered[1]['usage']['completion_tokens'] ?? 0 );
	}
}
