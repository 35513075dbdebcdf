<?php
/**
 * Test helpers for voice: the simulator's request log filtered by marker or audio hash,
 * real decoding with ffmpeg/ffprobe, WAV files made on the fly, an event collector.
 *
 * The simulator's log and script queue are shared with other suites running at the same time:
 * nothing here resets them.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Voice;

use VoiceVisionChat\Rest\Sse_Writer;
use VoiceVisionChat\Tests\Upstream\Simulator;

require_once __DIR__ . '/../Upstream/Simulator.php';

/**
 * Static helpers.
 */
final class Voice_Test_Support {

	public const FIXTURES = __DIR__ . '/../fixtures/audio/';

	/**
	 * Every request the simulator logged, oldest first.
	 *
	 * @return list<array<string, mixed>>
	 */
	public static function all_requests(): array {
		$curl = curl_init( Simulator::root() . '/__sim/requests' );
		curl_setopt( $curl, CURLOPT_RETURNTRANSFER, true );
		curl_setopt( $curl, CURLOPT_TIMEOUT, 20 );
		$raw = curl_exec( $curl );
		curl_close( $curl );
		if ( ! is_string( $raw ) ) {
			throw new \RuntimeException( 'The OpenAI simulator does not answer: is the stack up (bash tests/stack/up.sh)?' );
		}
		$decoded = json_decode( $raw, true );
		return is_array( $decoded ) && isset( $decoded['data'] ) ? array_values( $decoded['data'] ) : array();
	}

	/**
	 * Requests whose JSON body or multipart text fields contain the marker.
	 *
	 * @param string      $marker Marker.
	 * @param string|null $path   Only this API path (e.g. /v1/audio/speech).
	 * @return list<array<string, mixed>>
	 */
	public static function requests( string $marker, ?string $path = null ): array {
		return array_values(
			array_filter(
				self::all_requests(),
				static function ( array $record ) use ( $marker, $path ): bool {
					if ( null !== $path && $path !== $record['path'] ) {
						return false;
					}
					$text = wp_json_encode( $record['body'] ?? null ) . wp_json_encode( $record['multipart']['fields'] ?? null );
					return str_contains( (string) $text, $marker );
				}
			)
		);
	}

	/**
	 * Requests that carried audio with this sha256 (a file part or an input_audio part).
	 *
	 * @param string $sha256 Hash of the audio bytes.
	 * @return list<array<string, mixed>>
	 */
	public static function requests_with_audio( string $sha256 ): array {
		return array_values(
			array_filter(
				self::all_requests(),
				static function ( array $record ) use ( $sha256 ): bool {
					foreach ( (array) ( $record['media'] ?? array() ) as $media ) {
						if ( is_array( $media ) && ( $media['sha256'] ?? '' ) === $sha256 ) {
							return true;
						}
					}
					return false;
				}
			)
		);
	}

	/**
	 * Duration of an audio file as ffmpeg decodes it (sample count / rate).
	 *
	 * @param string $bytes Audio file.
	 */
	public static function decoded_seconds( string $bytes ): float {
		// From a file, not a pipe: only then does ffmpeg apply an MP3's gapless info (delay and
		// padding), as a browser does.
		$path = (string) tempnam( sys_get_temp_dir(), 'vvc-decode' );
		file_put_contents( $path, $bytes );
		$pcm = self::run( array( 'ffmpeg', '-v', 'error', '-i', $path, '-f', 's16le', '-ac', '1', '-ar', '48000', 'pipe:1' ), '' );
		unlink( $path );
		return strlen( $pcm ) / 2 / 48000;
	}

	/**
	 * What ffprobe says about audio bytes: format_name, codec_name, sample_rate, channels.
	 *
	 * @param string $bytes      Audio bytes.
	 * @param array  $input_args ffprobe input options (e.g. -f s16le -ar 24000 -ac 1 for raw PCM).
	 * @return array<string, mixed>
	 */
	public static function probe( string $bytes, array $input_args = array() ): array {
		$json = self::run( array_merge( array( 'ffprobe', '-v', 'error', '-of', 'json', '-show_format', '-show_streams' ), $input_args, array( '-i', 'pipe:0' ) ), $bytes );
		$data = json_decode( $json, true );
		if ( ! is_array( $data ) || empty( $data['streams'][0] ) ) {
			return array();
		}
		return array(
			'format_name' => $data['format']['format_name'] ?? '',
			'codec_name'  => $data['streams'][0]['codec_name'] ?? '',
			'sample_rate' => (int) ( $data['streams'][0]['sample_rate'] ?? 0 ),
			'channels'    => (int) ( $data['streams'][0]['channels'] ?? 0 ),
		);
	}

	/**
	 * Loudness of raw 16-bit mono PCM, in dBFS (-120 for digital silence).
	 *
	 * @param string $pcm Samples.
	 */
	public static function rms_dbfs( string $pcm ): float {
		$samples = unpack( 's*', $pcm );
		if ( ! $samples ) {
			return -120.0;
		}
		$sum = 0.0;
		foreach ( $samples as $sample ) {
			$sum += $sample * $sample;
		}
		$rms = sqrt( $sum / count( $samples ) ) / 32768;
		return $rms > 0 ? 20 * log10( $rms ) : -120.0;
	}

	/**
	 * A WAV file: a 440 Hz tone, or silence.
	 *
	 * @param int   $rate     Sample rate.
	 * @param int   $channels Channels.
	 * @param float $seconds  Duration.
	 * @param bool  $tone     Tone (true) or silence.
	 */
	public static function wav( int $rate, int $channels, float $seconds, bool $tone = true ): string {
		$frames = (int) round( $rate * $seconds );
		$data   = '';
		for ( $i = 0; $i < $frames; $i++ ) {
			$value = $tone ? (int) ( 8000 * sin( 2 * M_PI * 440 * $i / $rate ) ) : 0;
			$data .= str_repeat( pack( 'v', $value & 0xFFFF ), $channels );
		}
		return self::wav_header( $rate, $channels, 16, strlen( $data ) ) . $data;
	}

	/**
	 * A canonical 44-byte WAV header.
	 *
	 * @param int $rate      Sample rate.
	 * @param int $channels  Channels.
	 * @param int $bits      Bits per sample.
	 * @param int $data_size Declared data bytes.
	 * @param int $format    1 = PCM, 3 = float.
	 */
	public static function wav_header( int $rate, int $channels, int $bits, int $data_size, int $format = 1 ): string {
		$align = $channels * intdiv( $bits, 8 );
		return 'RIFF' . pack( 'V', 36 + $data_size ) . 'WAVE'
			. 'fmt ' . pack( 'VvvVVvv', 16, $format, $channels, $rate, $rate * $align, $align, $bits )
			. 'data' . pack( 'V', $data_size );
	}

	/**
	 * A copy of a fixture that no other test sends (a few extra samples of silence), so the
	 * simulator's log can be filtered by its sha256.
	 *
	 * @param string $fixture WAV fixture name.
	 */
	public static function unique_wav( string $fixture ): string {
		$bytes  = (string) file_get_contents( self::FIXTURES . $fixture );
		$extra  = str_repeat( "\0\0", random_int( 1, 4000 ) );
		$header = unpack( 'Vriff', substr( $bytes, 4, 4 ) );
		$data   = strpos( $bytes, 'data' );
		$size   = unpack( 'Vsize', substr( $bytes, $data + 4, 4 ) );
		return substr( $bytes, 0, 4 ) . pack( 'V', $header['riff'] + strlen( $extra ) ) . substr( $bytes, 8, $data - 4 )
			. pack( 'V', $size['size'] + strlen( $extra ) ) . substr( $bytes, $data + 8 ) . $extra;
	}

	/**
	 * Runs a command with bytes on stdin; returns stdout.
	 *
	 * @param list<string> $command Command and arguments.
	 * @param string       $stdin   Input.
	 */
	private static function run( array $command, string $stdin ): string {
		$process = proc_open( $command, array( array( 'pipe', 'r' ), array( 'pipe', 'w' ), array( 'pipe', 'w' ) ), $pipes );
		if ( ! is_resource( $process ) ) {
			throw new \RuntimeException( 'cannot run ' . $command[0] );
		}
		// Write and read concurrently enough: stdout is drained after stdin closes, and the
		// inputs here are small.
		stream_set_blocking( $pipes[1], false );
		$out    = '';
		$offset = 0;
		while ( $offset < strlen( $stdin ) ) {
			$written = fwrite( $pipes[0], substr( $stdin, $offset, 65536 ) );
			if ( false === $written ) {
				break;
			}
			$offset += $written;
			$out    .= (string) stream_get_contents( $pipes[1] );
		}
		fclose( $pipes[0] );
		stream_set_blocking( $pipes[1], true );
		$out .= (string) stream_get_contents( $pipes[1] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		proc_close( $process );
		return $out;
	}
}

/**
 * Collects events instead of printing them; can play a visitor who leaves.
 */
final class Voice_Collecting_Writer extends Sse_Writer {

	/**
	 * Events written, as [name, data].
	 *
	 * @var list<array{0: string, 1: array<string, mixed>}>
	 */
	public array $events = array();

	/**
	 * Microtime of each event.
	 *
	 * @var list<float>
	 */
	public array $times = array();

	/**
	 * Whether close() was called.
	 *
	 * @var bool
	 */
	public bool $closed = false;

	/**
	 * The visitor leaves after this many events.
	 *
	 * @var int
	 */
	public int $leave_after = PHP_INT_MAX;

	/**
	 * Records the event.
	 *
	 * @param string               $name Event name.
	 * @param array<string, mixed> $data Payload.
	 */
	public function event( string $name, array $data ): bool {
		$this->events[] = array( $name, $data );
		$this->times[]  = microtime( true );
		return count( $this->events ) < $this->leave_after;
	}

	/**
	 * Keep-alive comments sent (a slow provider).
	 *
	 * @var int
	 */
	public int $pings = 0;

	/**
	 * Counts the keep-alive comment instead of printing it.
	 */
	public function keepalive(): bool {
		++$this->pings;
		return count( $this->events ) < $this->leave_after;
	}

	/**
	 * Whether anything was sent: an event or a keep-alive comment.
	 */
	public function started(): bool {
		return array() !== $this->events || $this->pings > 0;
	}

	/**
	 * Records the close instead of exiting.
	 */
	public function close(): void {
		$this->closed = true;
	}

	/**
	 * Names of the events, in order.
	 *
	 * @return list<string>
	 */
	public function names(): array {
		return array_column( $this->events, 0 );
	}

	/**
	 * Payloads of the events with this name.
	 *
	 * @param string $name Event name.
	 * @return list<array<string, mixed>>
	 */
	public function of( string $name ): array {
		$found = array();
		foreach ( $this->events as $event ) {
			if ( $name === $event[0] ) {
				$found[] = $event[1];
			}
		}
		return $found;
	}

	/**
	 * Text of all delta events.
	 */
	public function text(): string {
		return implode( '', array_column( $this->of( 'delta' ), 'text' ) );
	}

	/**
	 * All audio events' PCM, decoded and joined.
	 */
	public function pcm(): string {
		$pcm = '';
		foreach ( $this->of( 'audio' ) as $audio ) {
			$pcm .= (string) base64_decode( (string) $audio['data'], true );
		}
		return $pcm;
	}
}
