<?php
/**
 * Audio_Validator: real recordings pass with their true duration; forged, truncated and
 * foreign files are refused.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Media;

use VoiceVisionChat\Media\Audio_Validator;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Tests\Voice\Voice_Test_Support as Support;
use WP_Error;

require_once __DIR__ . '/../Voice/Voice_Test_Support.php';

/**
 * Format sniffing, duration from the bytes, caps.
 */
final class AudioValidatorTest extends TestCase {

	/**
	 * A validator on the current settings that accepts any existing file as an upload.
	 */
	private function validator(): Audio_Validator {
		return new Audio_Validator( new Settings(), static fn ( string $path ): bool => is_file( $path ) );
	}

	/**
	 * Bytes of a fixture.
	 *
	 * @param string $name File name.
	 */
	private static function fixture( string $name ): string {
		return (string) file_get_contents( Support::FIXTURES . $name );
	}

	/**
	 * Asserts a refusal.
	 *
	 * @param mixed  $result Validator result.
	 * @param int    $status Expected status.
	 * @param string $code   Expected code.
	 * @param string $reason Text expected in the reason.
	 */
	private function assertRefused( $result, int $status, string $code, string $reason = '' ): void {
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( $code, $result->get_error_code() );
		$data = $result->get_error_data();
		$this->assertSame( $status, $data['status'] );
		if ( '' !== $reason ) {
			$this->assertStringContainsString( $reason, $data['reason'] );
		}
	}

	/**
	 * The real recordings and what they are.
	 *
	 * @return array<string, array{0: string, 1: string, 2: int, 3: int}>
	 */
	public static function real_recordings(): array {
		return array(
			'MP3 16 kHz mono (ID3v2 + LAME info frame)' => array( 'question-16k-mono.mp3', 'mp3', 16000, 1 ),
			'WAV 16 kHz mono'                           => array( 'question-16k-mono.wav', 'wav', 16000, 1 ),
			'MP3 48 kHz stereo (bare frames)'           => array( 'question-48k-stereo.mp3', 'mp3', 48000, 2 ),
			'WAV 48 kHz stereo'                         => array( 'question-48k-stereo.wav', 'wav', 48000, 2 ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'real_recordings' )]
	public function test_real_recordings_pass_with_the_duration_ffmpeg_decodes( string $file, string $format, int $rate, int $channels ): void {
		$bytes = self::fixture( $file );
		$audio = $this->validator()->validate_bytes( $bytes );

		$this->assertIsArray( $audio, $audio instanceof WP_Error ? (string) wp_json_encode( $audio->get_error_data() ) : '' );
		$this->assertSame( $format, $audio['format'] );
		$this->assertSame( 'voice.' . $format, $audio['filename'] );
		$this->assertSame( $rate, $audio['sample_rate'] );
		$this->assertSame( $channels, $audio['channels'] );
		$this->assertSame( strlen( $bytes ), $audio['size'] );
		$this->assertSame( $bytes, $audio['bytes'], 'passed on unchanged' );
		// From the bytes alone, yet the same as a real decoder (to a millisecond).
		$this->assertEqualsWithDelta( Support::decoded_seconds( $bytes ), $audio['seconds'], 0.001 );
		$this->assertGreaterThan( 1.0, $audio['seconds'] );
	}

	public function test_the_mp3_fixture_really_starts_with_an_id3_tag(): void {
		$this->assertStringStartsWith( 'ID3', self::fixture( 'question-16k-mono.mp3' ) );
		$this->assertSame( "\xFF", self::fixture( 'question-48k-stereo.mp3' )[0] );
	}

	public function test_an_mp3_header_on_random_bytes_is_refused(): void {
		$mp3    = self::fixture( 'question-48k-stereo.mp3' );
		$forged = substr( $mp3, 0, 4 ) . random_bytes( 20000 );
		$this->assertRefused( $this->validator()->validate_bytes( $forged ), 415, 'vvc_audio_unsupported', 'not an MPEG audio frame' );
		// The same behind an ID3 tag.
		$tagged = substr( self::fixture( 'question-16k-mono.mp3' ), 0, 200 );
		$this->assertRefused( $this->validator()->validate_bytes( $tagged . random_bytes( 5000 ) ), 415, 'vvc_audio_unsupported' );
	}

	public function test_a_wav_that_claims_ten_minutes_with_seconds_of_data_is_refused(): void {
		$wav  = self::fixture( 'question-16k-mono.wav' );
		$data = strpos( $wav, 'data' );
		$this->assertIsInt( $data );
		$claimed = 600 * 32000; // Ten minutes of 16 kHz 16-bit mono.
		$forged  = substr( $wav, 0, 4 ) . pack( 'V', $data + 8 + $claimed - 8 ) . substr( $wav, 8, $data - 4 ) . pack( 'V', $claimed ) . substr( $wav, $data + 8 );

		$this->assertRefused( $this->validator()->validate_bytes( $forged ), 415, 'vvc_audio_unsupported', '(600.0 s) but the file holds' );
	}

	public function test_a_wav_with_bytes_after_its_riff_end_is_refused(): void {
		$wav = self::fixture( 'question-16k-mono.wav' );
		$this->assertRefused( $this->validator()->validate_bytes( $wav . '<?php echo 1; ?>' ), 415, 'vvc_audio_unsupported', 'RIFF header says' );
		$this->assertIsArray( $this->validator()->validate_bytes( $wav . "\0" ), 'one pad byte is tolerated' );
	}

	public function test_a_truncated_mp3_is_refused_but_one_cut_at_a_frame_boundary_is_shorter(): void {
		$mp3 = self::fixture( 'question-48k-stereo.mp3' );
		$this->assertRefused( $this->validator()->validate_bytes( substr( $mp3, 0, (int) ( strlen( $mp3 ) * 0.6 ) + 7 ) ), 415, 'vvc_audio_unsupported', 'truncated' );

		// 64 kbps at 48 kHz: 192-byte frames (no padding at this rate), 1152 samples each.
		$audio = $this->validator()->validate_bytes( substr( $mp3, 0, 192 * 20 ) );
		$this->assertIsArray( $audio );
		$this->assertEqualsWithDelta( 20 * 1152 / 48000, $audio['seconds'], 0.0001 );
	}

	/**
	 * Recordings in formats the chat audio endpoints do not take.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public static function foreign_formats(): array {
		return array(
			'WebM (Chrome/Firefox MediaRecorder)' => array( 'question.webm', 'WebM/Matroska' ),
			'Ogg Opus'                            => array( 'question.ogg', 'Ogg' ),
			'M4A (Safari MediaRecorder)'          => array( 'question.m4a', 'MP4/M4A' ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'foreign_formats' )]
	public function test_other_formats_are_refused_whatever_they_are_called( string $file, string $named ): void {
		// Uploaded as voice.mp3 with an MP3 content type: name and type are ignored.
		$path   = (string) tempnam( sys_get_temp_dir(), 'vvc-audio' );
		copy( Support::FIXTURES . $file, $path );
		$result = $this->validator()->validate_upload(
			array(
				'name'     => 'voice.mp3',
				'type'     => 'audio/mpeg',
				'tmp_name' => $path,
				'error'    => UPLOAD_ERR_OK,
				'size'     => filesize( $path ),
			)
		);
		unlink( $path );
		$this->assertRefused( $result, 415, 'vvc_audio_unsupported', $named . ' audio; only MP3 or WAV' );
	}

	public function test_adts_aac_and_random_bytes_are_refused(): void {
		$this->assertRefused( $this->validator()->validate_bytes( "\xFF\xF1\x50\x80" . random_bytes( 400 ) ), 415, 'vvc_audio_unsupported', 'AAC' );
		$this->assertRefused( $this->validator()->validate_bytes( 'hello, this is text' ), 415, 'vvc_audio_unsupported', 'neither MP3 nor WAV' );
		$this->assertRefused( $this->validator()->validate_bytes( '' ), 415, 'vvc_audio_unsupported', 'empty' );
	}

	public function test_sample_rates_outside_8_to_48_khz_and_more_than_two_channels_are_refused(): void {
		$this->assertRefused( $this->validator()->validate_bytes( Support::wav( 96000, 1, 0.5 ) ), 415, 'vvc_audio_unsupported', 'sample rate 96000 Hz' );
		$this->assertRefused( $this->validator()->validate_bytes( Support::wav( 4000, 1, 0.5 ) ), 415, 'vvc_audio_unsupported', 'sample rate 4000 Hz' );
		$this->assertRefused( $this->validator()->validate_bytes( Support::wav( 16000, 3, 0.5 ) ), 415, 'vvc_audio_unsupported', '3 channels' );
		$this->assertIsArray( $this->validator()->validate_bytes( Support::wav( 8000, 1, 0.5 ) ) );
		$this->assertIsArray( $this->validator()->validate_bytes( Support::wav( 48000, 2, 0.5 ) ) );
	}

	public function test_wav_headers_must_be_consistent_pcm(): void {
		$valid = Support::wav( 16000, 1, 0.5 );
		$data  = substr( $valid, 44 );
		// Byte rate that does not match rate x block align.
		$bad_rate = substr_replace( $valid, pack( 'V', 12345 ), 28, 4 );
		$this->assertRefused( $this->validator()->validate_bytes( $bad_rate ), 415, 'vvc_audio_unsupported', 'inconsistent WAV header' );
		// A compressed WAV (format 0x55 is MP3 inside RIFF).
		$this->assertRefused( $this->validator()->validate_bytes( Support::wav_header( 16000, 1, 16, strlen( $data ), 0x55 ) . $data ), 415, 'vvc_audio_unsupported', 'WAV encoding 85' );
		// Float samples are fine.
		$this->assertIsArray( $this->validator()->validate_bytes( Support::wav_header( 16000, 1, 32, 64000, 3 ) . str_repeat( "\0", 64000 ) ) );
		// No data chunk.
		$this->assertRefused( $this->validator()->validate_bytes( substr( $valid, 0, 36 ) ), 415, 'vvc_audio_unsupported' );
	}

	public function test_duration_is_capped_by_the_setting_with_a_small_allowance(): void {
		( new Settings() )->update( array( 'voice_max_seconds' => 5 ) );
		$this->assertIsArray( $this->validator()->validate_bytes( Support::wav( 8000, 1, 5.3 ) ), 'the recorder stops at the limit; encoders pad a little' );
		$result = $this->validator()->validate_bytes( Support::wav( 8000, 1, 6.0 ) );
		$this->assertRefused( $result, 413, 'vvc_audio_too_long', '6.00 s, the limit is 5 s' );
		$this->assertStringContainsString( '5 seconds', $result->get_error_message() );
	}

	public function test_bytes_are_capped_by_the_setting(): void {
		( new Settings() )->update( array( 'voice_max_bytes' => 262144 ) );
		$this->assertIsArray( $this->validator()->validate_bytes( self::fixture( 'question-48k-stereo.wav' ) ) );
		$this->assertRefused( $this->validator()->validate_bytes( Support::wav( 48000, 2, 1.5 ) ), 413, 'vvc_audio_too_large' );

		$path = (string) tempnam( sys_get_temp_dir(), 'vvc-audio' );
		file_put_contents( $path, Support::wav( 48000, 2, 1.5 ) );
		$result = $this->validator()->validate_upload(
			array(
				'tmp_name' => $path,
				'error'    => UPLOAD_ERR_OK,
			)
		);
		unlink( $path );
		$this->assertRefused( $result, 413, 'vvc_audio_too_large', 'the limit is 262144' );
		$this->assertRefused( $this->validator()->validate_upload( array( 'error' => UPLOAD_ERR_INI_SIZE ) ), 413, 'vvc_audio_too_large' );
	}

	public function test_a_recording_under_a_tenth_of_a_second_is_too_short(): void {
		$this->assertRefused( $this->validator()->validate_bytes( Support::wav( 16000, 1, 0.05 ) ), 400, 'vvc_audio_too_short' );
	}

	public function test_only_real_uploads_are_read(): void {
		$strict = new Audio_Validator( new Settings() );
		$result = $strict->validate_upload(
			array(
				'tmp_name' => Support::FIXTURES . 'question-16k-mono.mp3',
				'error'    => UPLOAD_ERR_OK,
			)
		);
		$this->assertRefused( $result, 400, 'vvc_bad_request', 'not an uploaded file' );
		$this->assertRefused( $strict->validate_upload( array( 'error' => UPLOAD_ERR_PARTIAL ) ), 400, 'vvc_bad_request', 'upload error 3' );
	}

	public function test_the_structure_walk_reports_frames_and_info_frames(): void {
		$structure = Audio_Validator::structure( self::fixture( 'question-16k-mono.mp3' ) );
		$this->assertSame( '', $structure['error'] );
		// 76 audio frames of 576 samples; the LAME info frame holds none and is not counted.
		$this->assertSame( 76, $structure['frames'] );
		$structure = Audio_Validator::structure( self::fixture( 'question-48k-stereo.mp3' ) );
		$this->assertSame( 49, $structure['frames'] );
		$this->assertEqualsWithDelta( 49 * 1152 / 48000, $structure['seconds'], 0.00001 );
	}
}
