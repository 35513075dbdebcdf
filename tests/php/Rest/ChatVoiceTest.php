<?php
/**
 * Voice turns of POST /voice-vision-chat/v1/chat, answered by the OpenAI simulator through
 * both pipelines, as JSON and as events; and through the real stack (nginx + php-fpm).
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Rest;

use VoiceVisionChat\Media\Audio_Validator;
use VoiceVisionChat\Security\Visitor_Token;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Upstream\Simulator;
use VoiceVisionChat\Tests\Voice\Voice_Collecting_Writer;
use VoiceVisionChat\Tests\Voice\Voice_Test_Support as Support;
use VoiceVisionChat\Voice\Speech_Text;
use WP_REST_Request;
use WP_REST_Response;

require_once __DIR__ . '/Chat_Test_Stack.php';
require_once __DIR__ . '/../Voice/Voice_Test_Support.php';

/**
 * The voice side of the chat route.
 */
final class ChatVoiceTest extends TestCase {

	private const ROUTE = '/voice-vision-chat/v1/chat';

	private const KEY = 'sk-vvc-test-voice-5d2c81e07f44';

	/**
	 * This test's marker: in the system prompt (so in every chat request) and in the
	 * transcription prompt (so in every transcription request).
	 *
	 * @var string
	 */
	private string $marker;

	/**
	 * Writer of the served controller.
	 *
	 * @var Voice_Collecting_Writer
	 */
	private Voice_Collecting_Writer $writer;

	protected function setUp(): void {
		parent::setUp();
		$this->marker = Simulator::marker( 'voice' );
		Simulator::configure(
			self::KEY,
			array(
				'system_prompt' => 'You are the test shop assistant. ' . $this->marker,
				'text_model'    => 'gpt-5.4-nano',
				'image_model'   => 'gpt-5.4-mini',
			)
		);
		Simulator::meter_freely();
		$marker = $this->marker;
		add_filter( 'vvc_transcription_prompt', static fn (): string => 'Shop words. ' . $marker );
		$this->writer = new Voice_Collecting_Writer();
		$this->serve();
	}

	protected function tearDown(): void {
		remove_all_filters( 'vvc_transcription_prompt' );
		parent::tearDown();
	}

	/**
	 * Serves the chat route on the current settings with the collecting writer and no FAQ
	 * cache, so every typed turn here reaches the model.
	 */
	private function serve(): void {
		Chat_Test_Stack::serve( $this->writer, Chat_Test_Stack::FAQ_OFF );
	}

	/**
	 * Changes settings, then serves a controller built on them.
	 *
	 * @param array<string, mixed> $changes Settings.
	 */
	private function settings( array $changes ): void {
		( new Settings() )->update( $changes );
		$this->serve();
	}

	/**
	 * Scripts the transcript and the model's reply for this test's requests.
	 *
	 * @param string $transcript What the visitor "said".
	 * @param string $reply      What the model answers (spoken by the audio model, or written).
	 */
	private function script( string $transcript, string $reply ): void {
		Simulator::script(
			array(
				'match' => array(
					'path'     => '/v1/audio/transcriptions',
					'contains' => $this->marker,
				),
				'reply' => array( 'transcript' => $transcript ),
			),
			array(
				'match' => array(
					'path'     => '/v1/chat/completions',
					'contains' => $this->marker,
				),
				'reply' => array( 'content' => $reply ),
			)
		);
	}

	/**
	 * A voice request like the widget's: the `audio` part, other fields.
	 *
	 * @param string               $audio  Fixture name or absolute path.
	 * @param array<string, mixed> $fields Body fields.
	 * @param string|null          $image  Image fixture name.
	 */
	private function ask( string $audio, array $fields = array(), ?string $image = null ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-VVC-Token', ( new Visitor_Token() )->issue()['token'] );
		$request->set_body_params( $fields );
		$path  = str_starts_with( $audio, '/' ) ? $audio : Support::FIXTURES . $audio;
		$files = array(
			'audio' => array(
				'name'     => 'voice.mp3',
				'type'     => 'audio/mpeg',
				'tmp_name' => $path,
				'error'    => UPLOAD_ERR_OK,
				'size'     => (int) filesize( $path ),
			),
		);
		if ( null !== $image ) {
			$files['image'] = array(
				'name'     => $image,
				'type'     => 'image/jpeg',
				'tmp_name' => __DIR__ . '/../fixtures/images/' . $image,
				'error'    => UPLOAD_ERR_OK,
				'size'     => (int) filesize( __DIR__ . '/../fixtures/images/' . $image ),
			);
		}
		$request->set_file_params( $files );
		return rest_do_request( $request );
	}

	/**
	 * This test's upstream requests to one path, each checked against the spec.
	 *
	 * @param string $path API path.
	 * @return list<array<string, mixed>>
	 */
	private function upstream( string $path ): array {
		$requests = Support::requests( $this->marker, $path );
		foreach ( $requests as $request ) {
			$this->assertSame( array( 'ok' => true ), $request['validation'], $path . ' is valid per the OpenAPI spec' );
			$this->assertSame( 200, $request['status'] );
		}
		return $requests;
	}

	/**
	 * Asserts what the simulator decoded from the uploaded recording matches the fixture.
	 *
	 * @param array<string, mixed> $media   The simulator's facts.
	 * @param string               $fixture Fixture name.
	 */
	private function assertSameRecording( array $media, string $fixture ): void {
		$bytes = (string) file_get_contents( Support::FIXTURES . $fixture );
		$this->assertSame( hash( 'sha256', $bytes ), $media['sha256'], 'the exact bytes' );
		$this->assertSame( str_ends_with( $fixture, '.wav' ) ? 'wav' : 'mp3', $media['format'] );
		$this->assertEqualsWithDelta( Support::decoded_seconds( $bytes ), $media['duration_s'], 0.1 );
		$this->assertFalse( $media['silent'] );
	}

	/**
	 * Asserts an error response.
	 *
	 * @param WP_REST_Response $response Response.
	 * @param int              $status   Expected status.
	 * @param string           $code     Expected code.
	 */
	private function assertError( WP_REST_Response $response, int $status, string $code ): void {
		$this->assertSame( $status, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( $code, $response->get_data()['code'] ?? null );
	}

	public function test_native_json_answer(): void {
		$this->script( 'When do you open? ' . $this->marker, 'We open at nine every morning.' );
		$response = $this->ask( 'question-16k-mono.mp3' );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();

		$this->assertSame( 'native', $data['pipeline'] );
		$this->assertSame( 'When do you open? ' . $this->marker, $data['transcript'], 'the scripted transcript' );
		$this->assertSame( 'We open at nine every morning.', $data['reply'] );
		$this->assertSame( 'stop', $data['finish_reason'] );
		$this->assertSame( 'AI-generated voice', $data['audio']['label'] );
		$this->assertSame( 'mp3', $data['audio']['format'] );
		$mp3 = (string) base64_decode( $data['audio']['data'], true );
		$this->assertSame( 'mp3', Support::probe( $mp3 )['codec_name'], 'real audio' );
		$this->assertSame( 'mp3', Audio_Validator::structure( $mp3 )['format'] );
		$this->assertSame( '', Audio_Validator::structure( $mp3 )['error'] );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );

		$chat = $this->upstream( '/v1/chat/completions' );
		$this->assertCount( 1, $chat );
		$body = $chat[0]['body'];
		$this->assertSame( 'gpt-audio-1.5', $body['model'] );
		$this->assertSame( array( 'text', 'audio' ), $body['modalities'] );
		$this->assertSame(
			array(
				'voice'  => 'marin',
				'format' => 'mp3',
			),
			$body['audio']
		);
		$this->assertSame( 'input_audio', $body['messages'][1]['content'][0]['type'] );
		$this->assertSame( 'mp3', $body['messages'][1]['content'][0]['input_audio']['format'] );
		$this->assertStringContainsString( 'read aloud', $body['messages'][0]['content'] );
		$this->assertSameRecording( $chat[0]['media'][0], 'question-16k-mono.mp3' );
		$this->assertEqualsWithDelta( $chat[0]['media'][1]['duration_s'], Support::decoded_seconds( $mp3 ), 0.1, 'the reply audio is what the model sent' );

		$transcription = $this->upstream( '/v1/audio/transcriptions' );
		$this->assertCount( 1, $transcription );
		$this->assertSame( 'gpt-transcribe', $transcription[0]['multipart']['fields']['model'] );
		$this->assertSame( 'voice.mp3', $transcription[0]['multipart']['files'][0]['filename'] );
		$this->assertSameRecording( $transcription[0]['multipart']['files'][0]['audio'], 'question-16k-mono.mp3' );
		$this->assertSame( array(), Support::requests( $this->marker, '/v1/audio/speech' ), 'the native model speaks itself' );
	}

	public function test_native_stream_sends_text_and_pcm16_audio_as_it_comes(): void {
		$this->script( 'Is parking free? ' . $this->marker, 'Yes, parking is free for customers.' );
		$this->ask( 'question-16k-mono.wav', array( 'stream' => '1' ) );

		$names = $this->writer->names();
		$this->assertSame( 'done', end( $names ) );
		$this->assertSame(
			array(
				'finish_reason' => 'stop',
				'pipeline'      => 'native',
			),
			end( $this->writer->events )[1]
		);
		$this->assertSame( array( array( 'text' => 'Is parking free? ' . $this->marker ) ), $this->writer->of( 'transcript' ) );
		$this->assertSame( 'Yes, parking is free for customers.', $this->writer->text() );
		$audio = $this->writer->of( 'audio' );
		$this->assertGreaterThan( 1, count( $audio ) );
		$this->assertSame( 'AI-generated voice', $audio[0]['label'] );
		foreach ( $audio as $event ) {
			$this->assertSame( 'pcm16', $event['format'] );
			$this->assertSame( 24000, $event['sample_rate'] );
		}
		$this->assertTrue( $this->writer->closed );

		$chat = $this->upstream( '/v1/chat/completions' );
		$this->assertCount( 1, $chat );
		$this->assertTrue( $chat[0]['body']['stream'] );
		$this->assertSame( 'pcm16', $chat[0]['body']['audio']['format'] );
		$this->assertSame( 'wav', $chat[0]['body']['messages'][1]['content'][0]['input_audio']['format'] );
		$this->assertSameRecording( $chat[0]['media'][0], 'question-16k-mono.wav' );
		$pcm = $this->writer->pcm();
		$this->assertSame( $chat[0]['media'][1]['bytes'], strlen( $pcm ), 'all of the reply audio, in order' );
		$this->assertGreaterThan( -40, Support::rms_dbfs( $pcm ), 'speech, not silence' );
		$this->assertSame( 's16le', Support::probe( $pcm, array( '-f', 's16le', '-ar', '24000', '-ac', '1' ) )['format_name'] );
		$this->assertCount( 1, $this->upstream( '/v1/audio/transcriptions' ) );
	}

	public function test_chained_json_answer_speaks_the_reply_with_the_configured_voice(): void {
		$this->settings(
			array(
				'voice_pipeline'      => 'chained',
				'voice'               => 'coral',
				'speech_instructions' => 'Warm and calm.',
				'speech_speed'        => 1.25,
			)
		);
		$reply = 'We open at **nine** (' . $this->marker . '). See [our hours](https://example.com/hours) for holidays.';
		$this->script( 'When do you open on Monday? ' . $this->marker, $reply );
		$response = $this->ask( 'question-16k-mono.wav' );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();

		$this->assertSame( 'chained', $data['pipeline'] );
		$this->assertSame( 'When do you open on Monday? ' . $this->marker, $data['transcript'] );
		$this->assertSame( $reply, $data['reply'], 'the written answer keeps its Markdown' );
		$mp3 = (string) base64_decode( $data['audio']['data'], true );
		$this->assertSame( 'mp3', Support::probe( $mp3 )['codec_name'] );
		$this->assertSame( 'AI-generated voice', $data['audio']['label'] );

		$transcription = $this->upstream( '/v1/audio/transcriptions' );
		$this->assertCount( 1, $transcription );
		$this->assertSameRecording( $transcription[0]['multipart']['files'][0]['audio'], 'question-16k-mono.wav' );
		$this->assertSame( 'voice.wav', $transcription[0]['multipart']['files'][0]['filename'] );

		$chat = $this->upstream( '/v1/chat/completions' );
		$this->assertCount( 1, $chat );
		$this->assertSame( 'gpt-5.4-nano', $chat[0]['body']['model'] );
		$this->assertSame( 'When do you open on Monday? ' . $this->marker, end( $chat[0]['body']['messages'] )['content'] );

		$speech = $this->upstream( '/v1/audio/speech' );
		$this->assertCount( 1, $speech );
		$this->assertSame( array( 'ok' => true ), $speech[0]['validation'] );
		$this->assertSame(
			array(
				'model'           => 'gpt-4o-mini-tts',
				'input'           => 'We open at nine (' . $this->marker . '). See our hours for holidays.',
				'voice'           => 'coral',
				'response_format' => 'mp3',
				'speed'           => 1.25,
				'instructions'    => 'Warm and calm.',
				'stream_format'   => 'sse', // Events carry the billed usage; the visitor still gets one MP3.
			),
			$speech[0]['body']
		);
		$this->assertSame( $speech[0]['media'][0]['bytes'], strlen( $mp3 ) );
	}

	public function test_chained_stream_speaks_the_first_sentence_before_the_text_is_complete(): void {
		$this->settings( array( 'voice_pipeline' => 'chained' ) );
		$first = 'Our shop opens at nine in the morning, ref ' . $this->marker . '.';
		$rest  = 'On Saturdays we open an hour later, ref ' . $this->marker . '.';
		$this->script( 'Opening hours? ' . $this->marker, $first . ' ' . $rest );
		$this->ask( 'question-48k-stereo.mp3', array( 'stream' => 'true' ) );

		$names = $this->writer->names();
		$this->assertSame( 'transcript', $names[0], 'the visitor\'s words come first' );
		$this->assertSame( 'Opening hours? ' . $this->marker, $this->writer->events[0][1]['text'] );
		$this->assertSame( 'done', end( $names ) );
		$this->assertSame( 'chained', end( $this->writer->events )[1]['pipeline'] );
		$this->assertSame( $first . ' ' . $rest, $this->writer->text() );
		$first_audio = array_search( 'audio', $names, true );
		$last_delta  = max( array_keys( $names, 'delta', true ) );
		$this->assertLessThan( $last_delta, $first_audio, 'sound starts while text is still coming' );

		$speech = $this->upstream( '/v1/audio/speech' );
		$this->assertSame( array( $first, $rest ), array_column( array_column( $speech, 'body' ), 'input' ), 'first sentence, then the rest' );
		$bytes = 0;
		foreach ( $speech as $request ) {
			$this->assertSame( array( 'ok' => true ), $request['validation'] );
			$this->assertSame( 'pcm', $request['body']['response_format'] );
			$bytes += $request['media'][0]['bytes'];
		}
		$pcm = $this->writer->pcm();
		$this->assertSame( $bytes, strlen( $pcm ), 'every byte of both speech answers, forwarded' );
		$this->assertGreaterThan( -40, Support::rms_dbfs( $pcm ) );

		$transcription = $this->upstream( '/v1/audio/transcriptions' );
		$this->assertSameRecording( $transcription[0]['multipart']['files'][0]['audio'], 'question-48k-stereo.mp3' );
		$this->assertSame( array( 48000, 2 ), array( $transcription[0]['multipart']['files'][0]['audio']['sample_rate'], $transcription[0]['multipart']['files'][0]['audio']['channels'] ) );
	}

	public function test_voice_with_an_image_goes_through_the_chained_pipeline(): void {
		$this->settings( array( 'voice_pipeline' => 'native' ) );
		$this->script( 'What is in this photo? ' . $this->marker, 'It is a test card, ref ' . $this->marker . '.' );
		$response = $this->ask( 'question-16k-mono.mp3', array( 'message' => 'Typed note' ), 'photo.jpg' );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'chained', $response->get_data()['pipeline'] );
		$this->assertSame( 'What is in this photo? ' . $this->marker, $response->get_data()['transcript'] );

		$chat = $this->upstream( '/v1/chat/completions' );
		$this->assertCount( 1, $chat );
		$this->assertSame( 'gpt-5.4-mini', $chat[0]['body']['model'], 'the image model, not the audio model' );
		$this->assertArrayNotHasKey( 'modalities', $chat[0]['body'] );
		$parts = end( $chat[0]['body']['messages'] )['content'];
		$this->assertSame( "What is in this photo? {$this->marker}\n\nTyped note", $parts[0]['text'] );
		$this->assertSame( 'image_url', $parts[1]['type'] );
		$this->assertSame( 'jpeg', $chat[0]['media'][0]['type'] );
		$this->assertSame( array( 'It is a test card, ref ' . $this->marker . '.' ), array_column( array_column( $this->upstream( '/v1/audio/speech' ), 'body' ), 'input' ) );
	}

	public function test_a_provider_without_the_audio_model_gets_the_chained_pipeline(): void {
		$this->settings( array( 'audio_model' => 'gpt-audio-not-offered' ) );
		$this->script( 'Hello? ' . $this->marker, 'Hello, how can I help?' );
		$response = $this->ask( 'question-16k-mono.mp3' );
		$this->assertSame( 'chained', $response->get_data()['pipeline'] );
		$this->assertSame( 'gpt-5.4-nano', $this->upstream( '/v1/chat/completions' )[0]['body']['model'] );
	}

	public function test_speech_is_made_only_from_the_reply_never_from_request_text(): void {
		$this->settings( array( 'voice_pipeline' => 'chained' ) );
		$typed   = 'Please read this aloud: TYPED-' . $this->marker;
		$earlier = 'EARLIER-' . $this->marker;
		// The reply carries a tag of its own: the marker is only in what the request sent.
		$reply = 'Our prices start at ten euros, offer ' . bin2hex( random_bytes( 5 ) ) . '.';
		$this->script( 'SPOKEN-' . $this->marker . ' What are your prices?', $reply );
		$history = wp_json_encode(
			array(
				array(
					'role'    => 'user',
					'content' => 'hi',
				),
				array(
					'role'    => 'assistant',
					'content' => $earlier,
				),
			)
		);
		$this->ask(
			'question-16k-mono.mp3',
			array(
				'message' => $typed,
				'history' => $history,
				'stream'  => '1',
				'input'   => 'INJECTED-' . $this->marker, // Not a parameter of this route.
			)
		);
		$this->assertSame( 'done', end( $this->writer->events )[0] );

		$speech = Support::requests( substr( $reply, -12 ), '/v1/audio/speech' );
		$this->assertSame( array( $reply ), array_column( array_column( $speech, 'body' ), 'input' ), 'exactly the reply, once' );
		foreach ( Support::all_requests() as $record ) {
			if ( '/v1/audio/speech' === $record['path'] ) {
				$this->assertStringNotContainsString( $this->marker, (string) wp_json_encode( $record['body'] ?? null ), 'no request text was ever spoken' );
			}
		}
		// The typed text and history did reach the text model, as context.
		$chat = $this->upstream( '/v1/chat/completions' );
		$this->assertStringContainsString( 'TYPED-', (string) wp_json_encode( $chat[0]['body'] ) );
		$this->assertStringNotContainsString( 'INJECTED-', (string) wp_json_encode( $chat[0]['body'] ) );
	}

	public function test_native_never_calls_speech(): void {
		$this->script( 'Say something ' . $this->marker, 'Native reply ' . $this->marker );
		$this->ask( 'question-16k-mono.mp3', array( 'stream' => '1' ) );
		$this->assertSame( 'native', end( $this->writer->events )[1]['pipeline'] );
		$this->assertSame( array(), Support::requests( $this->marker, '/v1/audio/speech' ) );
	}

	/**
	 * Forged or foreign recordings.
	 *
	 * @return array<string, array{0: string}>
	 */
	public static function forged(): array {
		return array(
			'MP3 header on random bytes' => array( 'random' ),
			'WAV claiming 10 minutes'    => array( 'ten-minutes' ),
			'WebM named voice.mp3'       => array( 'question.webm' ),
			'truncated MP3'              => array( 'truncated' ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'forged' )]
	public function test_forged_recordings_are_refused_before_reaching_the_provider( string $kind ): void {
		$path = (string) tempnam( sys_get_temp_dir(), 'vvc-forged' );
		switch ( $kind ) {
			case 'random':
				$bytes = substr( (string) file_get_contents( Support::FIXTURES . 'question-48k-stereo.mp3' ), 0, 4 ) . random_bytes( 8000 );
				break;
			case 'ten-minutes':
				$bytes = Support::wav_header( 16000, 1, 16, 600 * 32000 ) . str_repeat( "\x10\x00", 32000 );
				break;
			case 'truncated':
				$mp3   = (string) file_get_contents( Support::FIXTURES . 'question-16k-mono.mp3' );
				$bytes = substr( $mp3, 0, strlen( $mp3 ) - 50 );
				break;
			default:
				$bytes = (string) file_get_contents( Support::FIXTURES . $kind );
		}
		file_put_contents( $path, $bytes );
		$response = $this->ask( $path, array( 'message' => 'Look ' . $this->marker ) );
		unlink( $path );

		$this->assertError( $response, 415, 'vvc_audio_unsupported' );
		$this->assertSame( 'This recording could not be used. Please try recording your question again.', $response->get_data()['message'] );
		$this->assertSame( array(), Support::requests( $this->marker ), 'nothing was sent upstream' );
	}

	public function test_recording_limits_and_field_rules(): void {
		$this->settings( array( 'voice_max_seconds' => 5 ) );
		$path = (string) tempnam( sys_get_temp_dir(), 'vvc-long' );
		file_put_contents( $path, Support::wav( 8000, 1, 7.0 ) );
		$this->assertError( $this->ask( $path ), 413, 'vvc_audio_too_long' );
		unlink( $path );

		// Base64 in a text field instead of a file.
		$request = new WP_REST_Request( 'POST', self::ROUTE );
		$request->set_header( 'X-VVC-Token', ( new Visitor_Token() )->issue()['token'] );
		$request->set_body_params( array( 'audio' => base64_encode( (string) file_get_contents( Support::FIXTURES . 'question-16k-mono.mp3' ) ) ) );
		$this->assertError( rest_do_request( $request ), 400, 'vvc_bad_request' );

		// Typed text with a recording is still bounded.
		$this->settings( array( 'turn_max_chars' => 200 ) );
		$this->assertError( $this->ask( 'question-16k-mono.mp3', array( 'message' => str_repeat( 'x', 201 ) ) ), 400, 'vvc_message_too_long' );
		$this->assertSame( array(), Support::requests( $this->marker ) );
	}

	public function test_a_recording_with_nothing_said_is_a_friendly_error(): void {
		$this->settings( array( 'voice_pipeline' => 'chained' ) );
		$this->script( '', 'never used' );
		$this->assertError( $this->ask( 'question-16k-mono.mp3', array( 'stream' => '1' ) ), 422, 'vvc_audio_no_speech' );
		$this->assertSame( array(), $this->writer->events, 'no stream was started' );
		$this->assertSame( array(), $this->upstream( '/v1/chat/completions' ) );
	}

	public function test_a_speech_failure_keeps_the_written_answer(): void {
		$this->settings( array( 'voice_pipeline' => 'chained' ) );
		$this->script( 'Question ' . $this->marker, 'Short. Answer that the speech step cannot read aloud ' . $this->marker );
		Simulator::script(
			array(
				'match' => array(
					'path'     => '/v1/audio/speech',
					'contains' => $this->marker,
				),
				'fault' => array( 'type' => 'insufficient_quota' ),
			)
		);
		$this->ask( 'question-16k-mono.mp3', array( 'stream' => '1' ) );
		$names = $this->writer->names();
		$this->assertSame( 'done', end( $names ) );
		$this->assertSame( 'Short. Answer that the speech step cannot read aloud ' . $this->marker, $this->writer->text() );
		$this->assertSame( array( 'vvc_upstream_quota' ), array_column( $this->writer->of( 'audio_error' ), 'code' ) );
		$this->assertNotContains( 'audio', $names );
		$this->assertCount( 1, Support::requests( $this->marker, '/v1/audio/speech' ), 'no second attempt after a failure' );
	}

	public function test_a_visitor_who_leaves_stops_the_voice_stream(): void {
		$this->script( 'Tell me a story ' . $this->marker, str_repeat( 'A long spoken answer nobody hears. ', 30 ) );
		$this->writer->leave_after = 3;
		$this->ask( 'question-16k-mono.mp3', array( 'stream' => '1' ) );
		$this->assertCount( 3, $this->writer->events );
		$this->assertNotContains( 'done', $this->writer->names() );
		$this->assertTrue( $this->writer->closed );
	}

	/**
	 * Streams a voice question through the real stack with curl, recording when each event
	 * arrived.
	 *
	 * @param string      $token Visitor token.
	 * @param string      $wav   Recording bytes.
	 * @param string|null $image Image fixture path.
	 * @return array{status: int, headers: array<string, string>, events: list<array{0: string, 1: array<string, mixed>, 2: float}>, sent_at: float, body: string}
	 */
	public static function stream_through_stack( string $token, string $wav, ?string $image = null ): array {
		$path = (string) tempnam( sys_get_temp_dir(), 'vvc-stack' );
		file_put_contents( $path, $wav );
		$fields = array(
			'stream' => '1',
			'audio'  => new \CURLFile( $path, 'audio/wav', 'voice.wav' ),
		);
		if ( null !== $image ) {
			$fields['image'] = new \CURLFile( $image, 'image/jpeg', 'photo.jpg' );
		}
		$headers = array();
		$body    = '';
		$events  = array();
		$buffer  = '';
		$sent_at = 0.0;
		$curl    = curl_init( 'http://127.0.0.1:8888/wp-json/voice-vision-chat/v1/chat' );
		curl_setopt_array(
			$curl,
			array(
				CURLOPT_POST             => true,
				CURLOPT_POSTFIELDS       => $fields,
				CURLOPT_HTTPHEADER       => array( 'X-VVC-Token: ' . $token, 'Expect:' ),
				CURLOPT_TIMEOUT          => 60,
				CURLOPT_NOPROGRESS       => false,
				CURLOPT_XFERINFOFUNCTION => static function ( $curl, $down_total, $down_now, $up_total, $up_now ) use ( &$sent_at ): int {
					if ( 0.0 === $sent_at && $up_total > 0 && $up_now >= $up_total ) {
						$sent_at = microtime( true ); // The last byte of the question left.
					}
					return 0;
				},
				CURLOPT_HEADERFUNCTION   => static function ( $curl, string $line ) use ( &$headers ): int {
					$parts = explode( ':', $line, 2 );
					if ( 2 === count( $parts ) ) {
						$headers[ strtolower( trim( $parts[0] ) ) ] = trim( $parts[1] );
					}
					return strlen( $line );
				},
				CURLOPT_WRITEFUNCTION    => static function ( $curl, string $data ) use ( &$body, &$buffer, &$events ): int {
					$now     = microtime( true );
					$body   .= $data;
					$buffer .= $data;
					while ( false !== ( $end = strpos( $buffer, "\n\n" ) ) ) {
						$block  = substr( $buffer, 0, $end );
						$buffer = substr( $buffer, $end + 2 );
						if ( preg_match( '/^event: (\w+)\ndata: (.*)$/s', $block, $match ) ) {
							$events[] = array( $match[1], (array) json_decode( $match[2], true ), $now );
						}
					}
					return strlen( $data );
				},
			)
		);
		curl_exec( $curl );
		$status = (int) curl_getinfo( $curl, CURLINFO_RESPONSE_CODE );
		curl_close( $curl );
		unlink( $path );
		return array(
			'status'  => $status,
			'headers' => $headers,
			'events'  => $events,
			'sent_at' => $sent_at,
			'body'    => $body,
		);
	}

	public function test_the_real_stack_streams_both_pipelines(): void {
		$session = wp_remote_post( 'http://127.0.0.1:8888/wp-json/voice-vision-chat/v1/session' );
		$this->assertSame( 200, wp_remote_retrieve_response_code( $session ), 'the stack serves the plugin (bash tests/stack/up.sh)' );
		$token = json_decode( wp_remote_retrieve_body( $session ), true )['token'];

		foreach ( array( 'native' => null, 'chained' => __DIR__ . '/../fixtures/images/photo.jpg' ) as $pipeline => $image ) {
			// A recording no other test sends, to find this request in the simulator's log.
			$wav    = Support::unique_wav( 'question-16k-mono.wav' );
			$result = self::stream_through_stack( $token, $wav, $image );
			$this->assertSame( 200, $result['status'], $result['body'] );
			$this->assertStringStartsWith( 'text/event-stream', $result['headers']['content-type'] );
			$this->assertSame( 'no-store', $result['headers']['cache-control'] ); // nginx consumes X-Accel-Buffering itself.
			$names = array_column( $result['events'], 0 );
			$this->assertSame( 'done', end( $names ), $result['body'] );
			$this->assertSame( $pipeline, end( $result['events'] )[1]['pipeline'] );
			$this->assertContains( 'transcript', $names );
			$this->assertContains( 'audio', $names );
			$this->assertStringEndsWith( "\n\n", $result['body'], 'nothing follows the stream' );

			$requests = Support::requests_with_audio( hash( 'sha256', $wav ) );
			$this->assertCount( 'native' === $pipeline ? 2 : 1, $requests, 'native: chat + transcription; chained: transcription' );
			foreach ( $requests as $request ) {
				$this->assertSame( array( 'ok' => true ), $request['validation'] );
				$facts = 'native' === $pipeline && '/v1/chat/completions' === $request['path'] ? $request['media'][0] : $request['multipart']['files'][0]['audio'];
				$this->assertSame( array( 'wav', 16000, 1 ), array( $facts['format'], $facts['sample_rate'], $facts['channels'] ) );
				$this->assertEqualsWithDelta( Support::decoded_seconds( $wav ), $facts['duration_s'], 0.1 );
			}
		}
	}
}
