<?php
/**
 * OpenAI_Client's voice calls against the simulator: transcription (multipart from memory),
 * speech (whole and streamed), chat with audio in and out, and a transcription running in
 * parallel with a streamed audio chat.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Upstream;

use VoiceVisionChat\Support\Error_Log;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Voice\Voice_Test_Support as Support;
use VoiceVisionChat\Upstream\Upstream_Error;

require_once __DIR__ . '/Simulator.php';
require_once __DIR__ . '/../Voice/Voice_Test_Support.php';

/**
 * The voice endpoints.
 */
final class OpenAIClientVoiceTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		Simulator::configure();
	}

	/**
	 * The one request carrying the marker, checked against the spec by the simulator.
	 *
	 * @param string $marker Marker.
	 * @param string $path   API path.
	 * @return array<string, mixed>
	 */
	private function one( string $marker, string $path ): array {
		$requests = Support::requests( $marker, $path );
		$this->assertCount( 1, $requests, $path );
		$this->assertSame( array( 'ok' => true ), $requests[0]['validation'], 'valid per the OpenAPI spec' );
		return $requests[0];
	}

	public function test_transcribe_sends_the_recording_as_multipart_from_memory(): void {
		$marker = Simulator::marker( 'transcribe' );
		Simulator::script(
			array(
				'match' => array(
					'path'     => '/v1/audio/transcriptions',
					'contains' => $marker,
				),
				'reply' => array( 'transcript' => "  When do you open? $marker " ),
			)
		);
		$bytes  = (string) file_get_contents( Support::FIXTURES . 'question-16k-mono.mp3' );
		$result = Simulator::client()->transcribe(
			$bytes,
			'voice.mp3',
			array(
				'model'           => 'gpt-4o-mini-transcribe',
				'response_format' => 'json',
				'prompt'          => 'Glossary ' . $marker,
			)
		);

		$this->assertSame( "When do you open? $marker", $result['text'], 'trimmed' );
		$this->assertSame( 'tokens', $result['usage']['type'] ?? null );
		$request = $this->one( $marker, '/v1/audio/transcriptions' );
		$this->assertSame( 'gpt-4o-mini-transcribe', $request['multipart']['fields']['model'] );
		$file = $request['multipart']['files'][0];
		$this->assertSame( array( 'file', 'voice.mp3', 'audio/mpeg' ), array( $file['field'], $file['filename'], $file['mime'] ) );
		$this->assertSame( hash( 'sha256', $bytes ), $file['sha256'], 'the exact bytes' );
		$this->assertSame( 'mp3', $file['audio']['format'] );
		$this->assertSame( 16000, $file['audio']['sample_rate'] );
		$this->assertSame( 1, $file['audio']['channels'] );
		$this->assertEqualsWithDelta( Support::decoded_seconds( $bytes ), $file['audio']['duration_s'], 0.1 );
		$this->assertFalse( $file['audio']['silent'] );
	}

	public function test_a_transcription_that_fails_once_is_retried(): void {
		$marker = Simulator::marker( 'transcribe-retry' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => array( 'type' => 'unavailable' ),
			),
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'transcript' => 'Second time lucky' ),
			)
		);
		$sleeps = array();
		$result = Simulator::client( $sleeps )->transcribe(
			(string) file_get_contents( Support::FIXTURES . 'question-16k-mono.wav' ),
			'voice.wav',
			array(
				'model'  => 'gpt-4o-mini-transcribe',
				'prompt' => $marker,
			)
		);
		$this->assertSame( 'Second time lucky', $result['text'] );
		$this->assertCount( 1, $sleeps );
		$this->assertCount( 2, Support::requests( $marker ) );
	}

	public function test_speech_returns_a_real_mp3(): void {
		$marker = Simulator::marker( 'speech' );
		$text   = "We open at nine in the morning. $marker";
		$usage  = null;
		$audio  = Simulator::client()->speech(
			array(
				'model'           => 'gpt-4o-mini-tts',
				'input'           => $text,
				'voice'           => 'marin',
				'instructions'    => 'Warm and calm.',
				'response_format' => 'mp3',
				'speed'           => 1.25,
			),
			$usage
		);
		$request = $this->one( $marker, '/v1/audio/speech' );
		$this->assertSame( 'sse', $request['body']['stream_format'], 'asked as events, which carry the usage' );
		$this->assertSame( $request['usage'], $usage, 'the billed usage, not a guess from the length' );
		$this->assertSame( array( 'mp3', 'mp3' ), array( Support::probe( $audio )['format_name'], Support::probe( $audio )['codec_name'] ) );
		$this->assertSame( strlen( $audio ), $request['media'][0]['bytes'] );
		$this->assertEqualsWithDelta( $request['media'][0]['duration_s'], Support::decoded_seconds( $audio ), 0.1 );
		$this->assertSame( 1.25, $request['media'][0]['speed'] );
	}

	public function test_legacy_speech_models_answer_raw_audio_without_usage(): void {
		$marker = Simulator::marker( 'speech-legacy' );
		$usage  = array( 'stale' => 1 );
		$audio  = Simulator::client()->speech(
			array(
				'model'           => 'tts-1',
				'input'           => "Billed per character. $marker",
				'voice'           => 'alloy',
				'response_format' => 'mp3',
			),
			$usage
		);
		$request = $this->one( $marker, '/v1/audio/speech' );
		$this->assertArrayNotHasKey( 'stream_format', $request['body'], 'tts-1 refuses events' );
		$this->assertSame( strlen( $audio ), $request['media'][0]['bytes'] );
		$this->assertNull( $usage );
	}

	public function test_speech_stream_hands_pcm_over_in_pieces_and_stops_when_told(): void {
		$marker = Simulator::marker( 'speech-stream' );
		$pieces = array();
		$done   = Simulator::client()->speech_stream(
			array(
				'model'           => 'gpt-4o-mini-tts',
				'input'           => str_repeat( 'A sentence that takes a while to say. ', 4 ) . $marker,
				'voice'           => 'cedar',
				'response_format' => 'pcm',
			),
			static function ( string $bytes ) use ( &$pieces ): bool {
				$pieces[] = $bytes;
				return true;
			},
			$usage
		);
		$this->assertTrue( $done );
		$this->assertGreaterThan( 1, count( $pieces ), 'streamed, not one block' );
		$pcm     = implode( '', $pieces );
		$request = $this->one( $marker, '/v1/audio/speech' );
		$this->assertSame( $request['media'][0]['bytes'], strlen( $pcm ) );
		$this->assertEqualsWithDelta( $request['media'][0]['duration_s'], strlen( $pcm ) / 48000, 0.001, '24 kHz 16-bit mono' );
		$this->assertGreaterThan( -40, Support::rms_dbfs( $pcm ), 'speech, not silence' );
		$this->assertSame( $request['usage'], $usage );

		$marker = Simulator::marker( 'speech-stop' );
		$calls  = 0;
		$done   = Simulator::client()->speech_stream(
			array(
				'model'           => 'gpt-4o-mini-tts',
				'input'           => str_repeat( 'Nobody listens to this. ', 20 ) . $marker,
				'voice'           => 'cedar',
				'response_format' => 'pcm',
			),
			static function () use ( &$calls ): bool {
				++$calls;
				return false;
			}
		);
		$this->assertFalse( $done );
		$this->assertSame( 1, $calls );
	}

	/**
	 * Speech failures and their stable codes.
	 *
	 * @return array<string, array{0: array<string, mixed>, 1: string, 2: int}>
	 */
	public static function speech_faults(): array {
		return array(
			'quota, never retried' => array( array( 'type' => 'insufficient_quota' ), 'vvc_upstream_quota', 1 ),
			'500, retried'         => array( array( 'type' => 'server_error' ), 'vvc_upstream_error', 3 ),
			'half an answer'       => array(
				array(
					'type'         => 'cut_stream',
					'after_chunks' => 1,
				),
				'vvc_upstream_error',
				1,
			),
		);
	}

	/**
	 * @param array<string, mixed> $fault    Simulator fault.
	 * @param string               $code     Expected code.
	 * @param int                  $attempts Expected requests.
	 */
	#[\PHPUnit\Framework\Attributes\DataProvider( 'speech_faults' )]
	public function test_speech_stream_failures( array $fault, string $code, int $attempts ): void {
		$marker = Simulator::marker( 'speech-fault' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'fault' => $fault,
				'times' => 3,
			)
		);
		$got = 0;
		try {
			Simulator::client()->speech_stream(
				array(
					'model'           => 'gpt-4o-mini-tts',
					'input'           => str_repeat( 'Long enough to come in several chunks. ', 10 ) . $marker,
					'voice'           => 'ash',
					'response_format' => 'pcm',
				),
				static function ( string $bytes ) use ( &$got ): bool {
					$got += strlen( $bytes );
					return true;
				}
			);
			$this->fail( 'expected an Upstream_Error' );
		} catch ( Upstream_Error $error ) {
			$this->assertSame( $code, $error->vvc_code() );
		}
		$this->assertCount( $attempts, Support::requests( $marker ) );
		$this->assertSame( $code, ( new Error_Log() )->recent( 1 )[0]['code'], 'logged for the admin' );
	}

	public function test_chat_with_audio_in_and_mp3_out(): void {
		$marker = Simulator::marker( 'native-json' );
		Simulator::script(
			array(
				'match' => array( 'contains' => $marker ),
				'reply' => array( 'content' => 'We open at nine.' ),
			)
		);
		$bytes      = (string) file_get_contents( Support::FIXTURES . 'question-48k-stereo.wav' );
		$completion = Simulator::client()->chat(
			array(
				'model'      => 'gpt-audio-1.5',
				'modalities' => array( 'text', 'audio' ),
				'audio'      => array(
					'voice'  => 'marin',
					'format' => 'mp3',
				),
				'messages'   => array(
					array(
						'role'    => 'system',
						'content' => 'Test ' . $marker,
					),
					array(
						'role'    => 'user',
						'content' => array(
							array(
								'type'        => 'input_audio',
								'input_audio' => array(
									'data'   => base64_encode( $bytes ),
									'format' => 'wav',
								),
							),
						),
					),
				),
			)
		);
		$audio = $completion['choices'][0]['message']['audio'];
		$this->assertSame( 'We open at nine.', $audio['transcript'] );
		$this->assertSame( 'mp3', Support::probe( (string) base64_decode( $audio['data'], true ) )['codec_name'] );
		$request = $this->one( $marker, '/v1/chat/completions' );
		$this->assertSame( 'wav', $request['media'][0]['format'] );
		$this->assertSame( array( 48000, 2 ), array( $request['media'][0]['sample_rate'], $request['media'][0]['channels'] ) );
		$this->assertEqualsWithDelta( Support::decoded_seconds( $bytes ), $request['media'][0]['duration_s'], 0.1 );
	}

	public function test_a_streamed_audio_chat_runs_alongside_its_transcription(): void {
		$marker = Simulator::marker( 'native-parallel' );
		Simulator::script(
			array(
				'match' => array(
					'path'     => '/v1/audio/transcriptions',
					'contains' => $marker,
				),
				'reply' => array( 'transcript' => 'Are you open on Sunday?' ),
			),
			array(
				'match' => array(
					'path'     => '/v1/chat/completions',
					'contains' => $marker,
				),
				'reply' => array( 'content' => 'No, we are closed on Sundays.' ),
			)
		);
		$bytes       = (string) file_get_contents( Support::FIXTURES . 'question-16k-mono.mp3' );
		$text        = '';
		$pcm         = '';
		$transcripts = array();
		$heard_usage = null;
		$result      = Simulator::client()->chat_stream_with_transcription(
			$this->native_stream_body( $marker, $bytes ),
			static function ( string $piece, array $chunk ) use ( &$text, &$pcm ): bool {
				$text .= $piece;
				$data  = $chunk['choices'][0]['delta']['audio']['data'] ?? '';
				$pcm  .= (string) base64_decode( (string) $data, true );
				return true;
			},
			$bytes,
			'voice.mp3',
			array(
				'model'  => 'gpt-4o-mini-transcribe',
				'prompt' => $marker,
			),
			static function ( ?string $transcript, ?array $usage = null ) use ( &$transcripts, &$heard_usage ): void {
				$transcripts[] = $transcript;
				$heard_usage   = $usage;
			}
		);

		$this->assertSame( array( 'Are you open on Sunday?' ), $transcripts, 'called once' );
		$this->assertSame( 'No, we are closed on Sundays.', $text, 'the reply text is the audio transcript' );
		$this->assertSame( 'stop', $result['finish_reason'] );
		$this->assertFalse( $result['aborted'] );
		$chat = $this->one( $marker, '/v1/chat/completions' );
		$this->assertSame( 'audio_out', $chat['media'][1]['kind'] );
		$this->assertSame( $chat['media'][1]['bytes'], strlen( $pcm ), 'every audio piece arrived' );
		$this->assertGreaterThan( -40, Support::rms_dbfs( $pcm ) );
		$transcription = $this->one( $marker, '/v1/audio/transcriptions' );
		$this->assertSame( $transcription['usage'], $heard_usage, 'the parallel transcription\'s billed usage is handed over' );

		// Both requests were sent at once: the second arrived before the first was answered.
		$start = static fn ( array $record ): float => (float) \DateTimeImmutable::createFromFormat( 'Y-m-d\TH:i:s.v\Z', $record['time'] )->format( 'U.u' );
		$first = min( $start( $chat ), $start( $transcription ) );
		$this->assertLessThan( $first + min( $chat['duration_ms'], $transcription['duration_ms'] ) / 1000, max( $start( $chat ), $start( $transcription ) ) );
	}

	public function test_a_failed_parallel_transcription_leaves_the_answer_intact(): void {
		$marker = Simulator::marker( 'native-transcribe-fails' );
		Simulator::script(
			array(
				'match' => array(
					'path'     => '/v1/audio/transcriptions',
					'contains' => $marker,
				),
				'fault' => array( 'type' => 'server_error' ),
			)
		);
		$bytes       = (string) file_get_contents( Support::FIXTURES . 'question-16k-mono.mp3' );
		$transcripts = array();
		$text        = '';
		$result      = Simulator::client()->chat_stream_with_transcription(
			$this->native_stream_body( $marker, $bytes ),
			static function ( string $piece ) use ( &$text ): bool {
				$text .= $piece;
				return true;
			},
			$bytes,
			'voice.mp3',
			array(
				'model'  => 'gpt-4o-mini-transcribe',
				'prompt' => $marker,
			),
			static function ( ?string $transcript ) use ( &$transcripts ): void {
				$transcripts[] = $transcript;
			}
		);
		$this->assertSame( array( null ), $transcripts );
		$this->assertSame( 'stop', $result['finish_reason'] );
		$this->assertStringStartsWith( 'Simulated answer', $text );
		$entry = ( new Error_Log() )->recent( 1 )[0];
		$this->assertSame( 'vvc_upstream_error', $entry['code'] );
		$this->assertStringEndsWith( '/audio/transcriptions', $entry['context']['endpoint'] );
	}

	/**
	 * A streamed native chat body.
	 *
	 * @param string $marker Marker for the system prompt.
	 * @param string $mp3    Recording.
	 * @return array<string, mixed>
	 */
	private function native_stream_body( string $marker, string $mp3 ): array {
		return array(
			'model'      => 'gpt-audio-1.5',
			'modalities' => array( 'text', 'audio' ),
			'audio'      => array(
				'voice'  => 'marin',
				'format' => 'pcm16',
			),
			'messages'   => array(
				array(
					'role'    => 'system',
					'content' => 'Test ' . $marker,
				),
				array(
					'role'    => 'user',
					'content' => array(
						array(
							'type'        => 'input_audio',
							'input_audio' => array(
								'data'   => base64_encode( $mp3 ),
								'format' => 'mp3',
							),
						),
					),
				),
			),
		);
	}
}
