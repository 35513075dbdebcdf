<?php
/**
 * Decides whether a visitor's upload is a voice recording the plugin may pass on.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Media;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Real type sniffing of an uploaded recording, in memory only.
 *
 * Only the two formats every voice endpoint accepts pass: MP3 (MPEG audio Layer III, walked
 * frame by frame from after any ID3v2 tag to the end, with nothing but an ID3v1 or APE tag
 * allowed after the last frame) and RIFF/WAVE with integer or float PCM. The duration is
 * computed from the bytes (the sum of the MP3 frames, or the WAV data chunk divided by its
 * byte rate), never taken from a header that could lie: a WAV header that claims more data
 * than the file holds is refused. The file name and MIME type the browser sent are ignored.
 *
 * Nothing is decoded and nothing is written to disk; the result carries the bytes for the
 * provider.
 *
 * @phpstan-type Audio array{bytes: string, format: 'mp3'|'wav', mime: string, filename: string, sample_rate: int, channels: int, seconds: float, size: int}
 * @phpstan-type Structure array{format: string, sample_rate: int, channels: int, seconds: float, frames: int, error: string}
 *
 * @extends Upload_Validator<Audio>
 */
final class Audio_Validator extends Upload_Validator {

	/**
	 * Shortest recording accepted, in seconds (the transcription endpoint refuses less than 0.1 s).
	 */
	public const MIN_SECONDS = 0.1;

	/**
	 * Allowance over the configured maximum: the browser stops at the limit, and an encoder
	 * pads the last frame.
	 */
	public const DURATION_TOLERANCE = 0.5;

	/**
	 * Sample rates accepted, in Hz (telephone quality to studio quality).
	 */
	public const MIN_SAMPLE_RATE = 8000;
	public const MAX_SAMPLE_RATE = 48000;

	/**
	 * Layer III bitrates in kbps by bitrate index: MPEG-1, then MPEG-2 and 2.5.
	 *
	 * @var array{1: list<int>, 2: list<int>}
	 */
	private const BITRATES = array(
		1 => array( 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 ),
		2 => array( 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 ),
	);

	/**
	 * Sample rates by the header's version bits (3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5) and index.
	 *
	 * @var array<int, list<int>>
	 */
	private const SAMPLE_RATES = array(
		3 => array( 44100, 48000, 32000 ),
		2 => array( 22050, 24000, 16000 ),
		0 => array( 11025, 12000, 8000 ),
	);

	/**
	 * Validates recording bytes.
	 *
	 * @param string $bytes The whole file.
	 * @return Audio|WP_Error
	 */
	public function validate_bytes( string $bytes ) {
		$length    = strlen( $bytes );
		$max_bytes = $this->max_bytes();
		if ( 0 === $length ) {
			return $this->unsupported( 'empty file' );
		}
		if ( $length > $max_bytes ) {
			return $this->too_large( sprintf( '%d bytes, the limit is %d', $length, $max_bytes ) );
		}

		$structure = self::structure( $bytes );
		if ( '' === $structure['format'] || '' !== $structure['error'] ) {
			return $this->unsupported( '' !== $structure['error'] ? $structure['error'] : 'unknown format' );
		}
		if ( $structure['sample_rate'] < self::MIN_SAMPLE_RATE || $structure['sample_rate'] > self::MAX_SAMPLE_RATE ) {
			return $this->unsupported( sprintf( 'sample rate %d Hz is outside %d..%d Hz', $structure['sample_rate'], self::MIN_SAMPLE_RATE, self::MAX_SAMPLE_RATE ) );
		}
		if ( $structure['channels'] < 1 || $structure['channels'] > 2 ) {
			return $this->unsupported( sprintf( '%d channels; only mono or stereo', $structure['channels'] ) );
		}
		$max_seconds = (int) $this->settings->get( 'voice_max_seconds' );
		if ( $structure['seconds'] > $max_seconds + self::DURATION_TOLERANCE ) {
			return new WP_Error(
				'vvc_audio_too_long',
				sprintf(
					/* translators: %d: longest recording allowed, in seconds. */
					__( 'Voice questions can be at most %d seconds long. Please ask a shorter question.', 'voice-vision-chat' ),
					$max_seconds
				),
				array(
					'status' => 413,
					'reason' => sprintf( '%.2f s, the limit is %d s', $structure['seconds'], $max_seconds ),
				)
			);
		}
		if ( $structure['seconds'] < self::MIN_SECONDS ) {
			return new WP_Error(
				'vvc_audio_too_short',
				__( 'The recording is too short. Please hold the microphone button while you speak.', 'voice-vision-chat' ),
				array(
					'status' => 400,
					'reason' => sprintf( '%.3f s', $structure['seconds'] ),
				)
			);
		}

		$is_mp3 = 'mp3' === $structure['format'];
		return array(
			'bytes'       => $bytes,
			'format'      => $is_mp3 ? 'mp3' : 'wav',
			'mime'        => $is_mp3 ? 'audio/mpeg' : 'audio/wav',
			// The upstream names the file itself: the transcription endpoint wants an extension
			// that matches the content, whatever the browser called it.
			'filename'    => $is_mp3 ? 'voice.mp3' : 'voice.wav',
			'sample_rate' => $structure['sample_rate'],
			'channels'    => $structure['channels'],
			'seconds'     => $structure['seconds'],
			'size'        => $length,
		);
	}

	/**
	 * Walks the structure of an MP3 or WAV file.
	 *
	 * `format` is '' when the bytes are neither (`error` then names what they look like);
	 * `error` is '' when the structure is complete and sound.
	 *
	 * @param string $bytes The whole file.
	 * @return array
	 * @phpstan-return Structure
	 */
	public static function structure( string $bytes ): array {
		$info = array(
			'format'      => '',
			'sample_rate' => 0,
			'channels'    => 0,
			'seconds'     => 0.0,
			'frames'      => 0,
			'error'       => '',
		);
		if ( str_starts_with( $bytes, 'RIFF' ) && 'WAVE' === substr( $bytes, 8, 4 ) ) {
			$info['format'] = 'wav';
			return self::walk_wav( $bytes, $info );
		}
		if ( str_starts_with( $bytes, 'ID3' ) || null !== self::mp3_header( $bytes, 0 ) ) {
			$info['format'] = 'mp3';
			return self::walk_mp3( $bytes, $info );
		}
		$info['error'] = self::other_format( $bytes );
		return $info;
	}

	/**
	 * Names a format that is not accepted, for the reason in the error.
	 *
	 * @param string $bytes The whole file.
	 */
	private static function other_format( string $bytes ): string {
		$signatures = array(
			"\x1A\x45\xDF\xA3" => 'WebM/Matroska',
			'OggS'             => 'Ogg',
			'fLaC'             => 'FLAC',
			'#!AMR'            => 'AMR',
			'FORM'             => 'AIFF',
		);
		foreach ( $signatures as $magic => $name ) {
			if ( str_starts_with( $bytes, $magic ) ) {
				return $name . ' audio; only MP3 or WAV are accepted';
			}
		}
		if ( 'ftyp' === substr( $bytes, 4, 4 ) ) {
			return 'MP4/M4A audio; only MP3 or WAV are accepted';
		}
		if ( strlen( $bytes ) >= 2 && "\xFF" === $bytes[0] && 0xF0 === ( ord( $bytes[1] ) & 0xF6 ) ) {
			return 'AAC (ADTS) audio; only MP3 or WAV are accepted';
		}
		if ( str_starts_with( $bytes, 'RIFF' ) ) {
			return 'a RIFF file that is not WAVE';
		}
		return 'neither MP3 nor WAV';
	}

	/**
	 * Walks an MP3: ID3v2 tags, then nothing but Layer III frames of one version, sample rate
	 * and channel layout up to the end (or an ID3v1/APE tag there). The duration is the sum of
	 * the frames' samples; a LAME/Xing/VBRI info frame holds no audio and is not counted.
	 *
	 * @param string $bytes The whole file.
	 * @param array  $info  Facts so far.
	 * @return array
	 * @phpstan-param Structure $info
	 * @phpstan-return Structure
	 */
	private static function walk_mp3( string $bytes, array $info ): array {
		$length = strlen( $bytes );
		$offset = 0;
		while ( 'ID3' === substr( $bytes, $offset, 3 ) ) {
			if ( $offset + 10 > $length ) {
				$info['error'] = 'truncated ID3v2 tag';
				return $info;
			}
			$size = 0;
			for ( $i = 6; $i < 10; $i++ ) {
				$byte = ord( $bytes[ $offset + $i ] );
				if ( $byte > 0x7F ) {
					$info['error'] = 'ID3v2 tag size is not a syncsafe integer';
					return $info;
				}
				$size = ( $size << 7 ) | $byte;
			}
			$footer = ( ord( $bytes[ $offset + 5 ] ) & 0x10 ) ? 10 : 0;
			$offset = $offset + 10 + $size + $footer;
		}

		$end = $length;
		if ( $end - 128 >= $offset && 'TAG' === substr( $bytes, $end - 128, 3 ) ) {
			$end -= 128; // ID3v1 tag.
		}
		if ( $end - 32 >= $offset && 'APETAGEX' === substr( $bytes, $end - 32, 8 ) ) {
			$ape = unpack( 'Vsize/Vitems/Vflags', substr( $bytes, $end - 20, 12 ) );
			if ( false === $ape ) {
				$info['error'] = 'unreadable APE tag';
				return $info;
			}
			$end -= $ape['size'] + ( ( $ape['flags'] & 0x80000000 ) ? 32 : 0 );
			if ( $end < $offset ) {
				$info['error'] = 'APE tag larger than the file';
				return $info;
			}
		}

		$first   = null;
		$samples = 0;
		$trim    = 0;
		while ( $offset < $end ) {
			$header = self::mp3_header( $bytes, $offset );
			if ( null === $header ) {
				$info['error'] = null === $first ? 'no MPEG audio frame after the ID3 tag' : sprintf( 'bytes at offset %d are not an MPEG audio frame', $offset );
				return $info;
			}
			if ( $offset + $header['length'] > $end ) {
				$info['error'] = sprintf( 'truncated: the frame at offset %d needs %d bytes, %d remain', $offset, $header['length'], $end - $offset );
				return $info;
			}
			if ( null === $first ) {
				$first               = $header;
				$info['sample_rate'] = $header['sample_rate'];
				$info['channels']    = $header['channels'];
				$gapless             = self::info_frame( $bytes, $offset, $header );
				if ( null !== $gapless ) {
					$trim    = $gapless;
					$offset += $header['length'];
					continue;
				}
			} elseif ( $header['version'] !== $first['version'] || $header['sample_rate'] !== $first['sample_rate'] || $header['channels'] !== $first['channels'] ) {
				$info['error'] = sprintf( 'the frame at offset %d changes the version, sample rate or channels', $offset );
				return $info;
			}
			$samples += $header['samples'];
			++$info['frames'];
			$offset += $header['length'];
		}
		if ( 0 === $info['frames'] ) {
			$info['error'] = 'no MPEG audio frames';
			return $info;
		}
		// The encoder's delay and padding, when its info frame says, are not part of the
		// recording: decoders that honour the tag drop them too.
		$info['seconds'] = max( 0, $samples - ( $trim < $samples ? $trim : 0 ) ) / $info['sample_rate'];
		return $info;
	}

	/**
	 * Parses the 4-byte MPEG audio header at an offset; null unless it is a valid Layer III
	 * header with a known bitrate and sample rate.
	 *
	 * @param string $bytes  The whole file.
	 * @param int    $offset Where the header should start.
	 * @return array{version: int, sample_rate: int, channels: int, length: int, samples: int, crc: bool}|null
	 */
	private static function mp3_header( string $bytes, int $offset ): ?array {
		if ( $offset + 4 > strlen( $bytes ) ) {
			return null;
		}
		$b1 = ord( $bytes[ $offset + 1 ] );
		$b2 = ord( $bytes[ $offset + 2 ] );
		$b3 = ord( $bytes[ $offset + 3 ] );
		if ( 0xFF !== ord( $bytes[ $offset ] ) || 0xE0 !== ( $b1 & 0xE0 ) ) {
			return null; // No frame sync.
		}
		$version       = ( $b1 >> 3 ) & 0x03; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5, 1 reserved.
		$layer         = ( $b1 >> 1 ) & 0x03; // 1 = Layer III.
		$bitrate_index = ( $b2 >> 4 ) & 0x0F;
		$rate_index    = ( $b2 >> 2 ) & 0x03;
		if ( 1 === $version || 1 !== $layer || 0 === $bitrate_index || 15 === $bitrate_index || 3 === $rate_index || 2 === ( $b3 & 0x03 ) ) {
			// Reserved version, another layer, free-format or bad bitrate, reserved rate or emphasis.
			return null;
		}
		$mpeg1       = 3 === $version;
		$bitrate     = self::BITRATES[ $mpeg1 ? 1 : 2 ][ $bitrate_index ] * 1000;
		$sample_rate = self::SAMPLE_RATES[ $version ][ $rate_index ];
		$padding     = ( $b2 >> 1 ) & 0x01;
		$length      = (int) floor( ( $mpeg1 ? 144 : 72 ) * $bitrate / $sample_rate ) + $padding;
		return array(
			'version'     => $version,
			'sample_rate' => $sample_rate,
			'channels'    => 3 === ( ( $b3 >> 6 ) & 0x03 ) ? 1 : 2,
			'length'      => $length,
			'samples'     => $mpeg1 ? 1152 : 576,
			'crc'         => 0 === ( $b1 & 0x01 ),
		);
	}

	/**
	 * Reads an encoder's info frame (Xing/Info after the side information, or VBRI at a fixed
	 * offset): a frame of metadata that decoders skip instead of playing.
	 *
	 * @param string                                                                                     $bytes  The whole file.
	 * @param int                                                                                        $offset Frame start.
	 * @param array{version: int, sample_rate: int, channels: int, length: int, samples: int, crc: bool} $header Its header.
	 * @return int|null Null when it is an ordinary audio frame; otherwise the encoder delay plus
	 *                  padding in samples from a LAME extension (0 when it has none).
	 */
	private static function info_frame( string $bytes, int $offset, array $header ): ?int {
		if ( 'VBRI' === substr( $bytes, $offset + 36, 4 ) ) {
			return 0;
		}
		$mpeg1     = 3 === $header['version'];
		$side_info = $mpeg1 ? ( 1 === $header['channels'] ? 17 : 32 ) : ( 1 === $header['channels'] ? 9 : 17 );
		$start     = $offset + 4 + ( $header['crc'] ? 2 : 0 ) + $side_info;
		$tag       = substr( $bytes, $start, 4 );
		if ( 'Xing' !== $tag && 'Info' !== $tag ) {
			return null;
		}
		$flags = unpack( 'Nflags', substr( $bytes, $start + 4, 4 ) );
		if ( false === $flags ) {
			return 0;
		}
		// Optional fields: frame count, byte count, seek table, quality; then LAME's extension.
		$lame = $start + 8;
		foreach ( array(
			1 => 4,
			2 => 4,
			4 => 100,
			8 => 4,
		) as $flag => $field_length ) {
			if ( $flags['flags'] & $flag ) {
				$lame += $field_length;
			}
		}
		if ( $lame + 24 > $offset + $header['length'] ) {
			return 0;
		}
		// 12 bits of encoder delay and 12 bits of padding, 21 bytes into the extension (LAME's
		// layout, which ffmpeg's encoder writes too).
		$b0 = ord( $bytes[ $lame + 21 ] );
		$b1 = ord( $bytes[ $lame + 22 ] );
		$b2 = ord( $bytes[ $lame + 23 ] );
		return ( ( $b0 << 4 ) | ( $b1 >> 4 ) ) + ( ( ( $b1 & 0x0F ) << 8 ) | $b2 );
	}

	/**
	 * Walks a RIFF/WAVE file: its chunks must fit the RIFF size, which must match the file;
	 * `fmt ` must describe integer or float PCM with consistent block align and byte rate;
	 * the one `data` chunk must hold as many bytes as it claims. Duration = data / byte rate.
	 *
	 * @param string $bytes The whole file.
	 * @param array  $info  Facts so far.
	 * @return array
	 * @phpstan-param Structure $info
	 * @phpstan-return Structure
	 */
	private static function walk_wav( string $bytes, array $info ): array {
		$length = strlen( $bytes );
		$riff   = unpack( 'Vsize', substr( $bytes, 4, 4 ) );
		if ( false === $riff ) {
			$info['error'] = 'truncated RIFF header';
			return $info;
		}
		$riff_end = 8 + $riff['size'];
		$format   = null;
		$data     = null;
		$offset   = 12;
		while ( $offset + 8 <= min( $riff_end, $length ) ) {
			$id    = substr( $bytes, $offset, 4 );
			$chunk = unpack( 'Vsize', substr( $bytes, $offset + 4, 4 ) );
			if ( false === $chunk ) {
				break;
			}
			$body = $offset + 8;
			$size = $chunk['size'];
			if ( 'data' === $id ) {
				if ( null === $format ) {
					$info['error'] = 'data chunk before the fmt chunk';
					return $info;
				}
				if ( null !== $data ) {
					$info['error'] = 'more than one data chunk';
					return $info;
				}
				if ( $body + $size > $length ) {
					$info['error'] = sprintf(
						'the header claims %d bytes of samples (%.1f s) but the file holds %d (%.1f s)',
						$size,
						$size / $format['byte_rate'],
						max( 0, $length - $body ),
						max( 0, $length - $body ) / $format['byte_rate']
					);
					return $info;
				}
				$data = $size;
			} elseif ( 'fmt ' === $id ) {
				if ( $size < 16 || $body + $size > $length ) {
					$info['error'] = 'truncated fmt chunk';
					return $info;
				}
				$format = self::wav_format( substr( $bytes, $body, $size ) );
				if ( is_string( $format ) ) {
					$info['error'] = $format;
					return $info;
				}
				$info['sample_rate'] = $format['sample_rate'];
				$info['channels']    = $format['channels'];
			} elseif ( $body + $size > $riff_end ) {
				$info['error'] = sprintf( 'the %s chunk runs past the end of the file', trim( (string) preg_replace( '/[^\x20-\x7E]/', '?', $id ) ) );
				return $info;
			}
			$offset = $body + $size + ( $size & 1 ); // Chunks are padded to an even length.
		}
		if ( null === $format || null === $data ) {
			$info['error'] = null === $format ? 'no fmt chunk' : 'no data chunk';
			return $info;
		}
		// The RIFF size must describe this file: more claimed means missing bytes, less means
		// something was appended after the WAVE file (one pad byte is tolerated).
		if ( $riff_end > $length || $length - $riff_end > 1 ) {
			$info['error'] = sprintf( 'the RIFF header says %d bytes, the file has %d', $riff_end, $length );
			return $info;
		}
		$info['frames']  = intdiv( $data, $format['block_align'] );
		$info['seconds'] = $info['frames'] / $format['sample_rate'];
		return $info;
	}

	/**
	 * Reads a `fmt ` chunk; a string says why it is not acceptable.
	 *
	 * @param string $chunk The chunk's body.
	 * @return array{channels: int, sample_rate: int, byte_rate: int, block_align: int}|string
	 */
	private static function wav_format( string $chunk ) {
		$fmt = unpack( 'vformat/vchannels/Vsample_rate/Vbyte_rate/vblock_align/vbits', $chunk );
		if ( false === $fmt ) {
			return 'unreadable fmt chunk';
		}
		$format = $fmt['format'];
		if ( 0xFFFE === $format && strlen( $chunk ) >= 26 ) {
			$sub    = unpack( 'vformat', substr( $chunk, 24, 2 ) ); // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the real tag.
			$format = false === $sub ? 0 : $sub['format'];
		}
		$bits = $fmt['bits'];
		if ( ! ( 1 === $format && in_array( $bits, array( 8, 16, 24, 32 ), true ) ) && ! ( 3 === $format && in_array( $bits, array( 32, 64 ), true ) ) ) {
			return sprintf( 'WAV encoding %d with %d bits; only PCM or float samples', $format, $bits );
		}
		if ( $fmt['channels'] < 1 || 0 === $fmt['sample_rate'] ) {
			return 'WAV without channels or sample rate';
		}
		$block_align = $fmt['channels'] * intdiv( $bits, 8 );
		if ( $fmt['block_align'] !== $block_align || $fmt['byte_rate'] !== $fmt['sample_rate'] * $block_align ) {
			return sprintf( 'inconsistent WAV header: block align %d, byte rate %d', $fmt['block_align'], $fmt['byte_rate'] );
		}
		return array(
			'channels'    => $fmt['channels'],
			'sample_rate' => $fmt['sample_rate'],
			'byte_rate'   => $fmt['byte_rate'],
			'block_align' => $block_align,
		);
	}

	/**
	 * The byte cap.
	 */
	protected function max_bytes(): int {
		return max( 1, (int) $this->settings->get( 'voice_max_bytes' ) );
	}

	/**
	 * What the visitor reads for each refusal.
	 *
	 * @return array{code_prefix: string, unsupported: string, too_large: string, incomplete: string, not_a_file: string}
	 */
	protected function messages(): array {
		return array(
			'code_prefix' => 'vvc_audio',
			'unsupported' => __( 'This recording could not be used. Please try recording your question again.', 'voice-vision-chat' ),
			'too_large'   => __( 'This recording is too large. Please ask a shorter question.', 'voice-vision-chat' ),
			'incomplete'  => __( 'The recording did not arrive completely. Please try again.', 'voice-vision-chat' ),
			'not_a_file'  => __( 'The recording must be sent as a file upload.', 'voice-vision-chat' ),
		);
	}
}
