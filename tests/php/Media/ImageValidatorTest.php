<?php
/**
 * Image_Validator with real image files (tests/php/fixtures/images, see make-fixtures.php)
 * and hostile files built at runtime.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Media;

use VoiceVisionChat\Media\Image_Validator;
use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_Error;

/**
 * What passes, what is refused and with which code.
 */
final class ImageValidatorTest extends TestCase {

	private const FIXTURES = __DIR__ . '/../fixtures/images/';

	/**
	 * A validator on the given settings that accepts any file path as an upload.
	 *
	 * @param array<string, mixed> $settings Stored settings.
	 */
	private function validator( array $settings = array() ): Image_Validator {
		update_option( Settings::OPTION, $settings );
		return new Image_Validator( new Settings(), static fn ( string $path ): bool => is_file( $path ) );
	}

	/**
	 * A PNG chunk with its CRC.
	 *
	 * @param string $type Chunk type.
	 * @param string $data Chunk data.
	 */
	private static function chunk( string $type, string $data ): string {
		return pack( 'N', strlen( $data ) ) . $type . $data . pack( 'N', crc32( $type . $data ) );
	}

	/**
	 * A structurally valid PNG of any claimed size with the given IDAT payload (never decoded).
	 *
	 * @param int    $width  Claimed width.
	 * @param int    $height Claimed height.
	 * @param string $idat   IDAT data.
	 */
	private static function png( int $width, int $height, string $idat ): string {
		return "\x89PNG\r\n\x1a\n"
			. self::chunk( 'IHDR', pack( 'NNCCCCC', $width, $height, 8, 2, 0, 0, 0 ) )
			. self::chunk( 'IDAT', $idat )
			. self::chunk( 'IEND', '' );
	}

	/**
	 * Asserts a refusal.
	 *
	 * @param mixed  $result What the validator returned.
	 * @param string $code   Expected code.
	 * @param int    $status Expected HTTP status.
	 * @param string $reason Expected part of the developer reason.
	 */
	private function assertRefused( $result, string $code, int $status, string $reason = '' ): void {
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( $code, $result->get_error_code() );
		$data = (array) $result->get_error_data();
		$this->assertSame( $status, $data['status'] );
		if ( '' !== $reason ) {
			$this->assertStringContainsString( $reason, (string) $data['reason'] );
		}
	}

	/**
	 * Real still images of every allowed kind.
	 *
	 * @return array<string, array{0: string, 1: string, 2: int, 3: int}>
	 */
	public static function valid_images(): array {
		return array(
			'baseline JPEG'     => array( 'photo.jpg', 'image/jpeg', 320, 240 ),
			'progressive JPEG'  => array( 'photo-progressive.jpg', 'image/jpeg', 320, 240 ),
			'PNG'               => array( 'photo.png', 'image/png', 200, 150 ),
			'lossy WebP'        => array( 'photo.webp', 'image/webp', 200, 150 ),
			'lossless WebP'     => array( 'photo-lossless.webp', 'image/webp', 200, 150 ),
			'WebP with alpha'   => array( 'photo-alpha.webp', 'image/webp', 96, 64 ),
			'single-frame GIF'  => array( 'still.gif', 'image/gif', 64, 48 ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'valid_images' )]
	public function test_valid_images_become_data_urls( string $file, string $mime, int $width, int $height ): void {
		$bytes  = (string) file_get_contents( self::FIXTURES . $file );
		$result = $this->validator()->validate_upload(
			array(
				'tmp_name' => self::FIXTURES . $file,
				'error'    => UPLOAD_ERR_OK,
				'size'     => strlen( $bytes ),
				'name'     => 'whatever.bin',
				'type'     => 'application/octet-stream',
			)
		);
		$this->assertIsArray( $result, is_wp_error( $result ) ? (string) wp_json_encode( $result->get_error_data() ) : '' );
		$this->assertSame( $mime, $result['mime'] );
		$this->assertSame( $width, $result['width'] );
		$this->assertSame( $height, $result['height'] );
		$this->assertSame( strlen( $bytes ), $result['bytes'] );
		$prefix = 'data:' . $mime . ';base64,';
		$this->assertStringStartsWith( $prefix, $result['data_url'] );
		$this->assertSame( $bytes, base64_decode( substr( $result['data_url'], strlen( $prefix ) ), true ) );
	}

	/**
	 * Hostile or unsupported files and why each is refused.
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public static function refused_files(): array {
		return array(
			'PHP file renamed .png'       => array( 'php-renamed.png', 'not a JPEG, PNG, WebP or GIF' ),
			'PNG with PHP appended'       => array( 'png-php-appended.png', 'after the PNG end (IEND)' ),
			'PNG with <?= in a tEXt chunk' => array( 'png-php-in-text.png', 'PHP (<?=)' ),
			'JPEG with <script> comment'  => array( 'jpeg-script-comment.jpg', '<script>' ),
			'JPEG with a zip after EOI'   => array( 'jpeg-trailing-zip.jpg', 'after the JPEG end (FFD9)' ),
			'SVG'                         => array( 'image.svg', 'not a JPEG, PNG, WebP or GIF' ),
			'truncated JPEG'              => array( 'truncated.jpg', 'truncated JPEG' ),
			'animated GIF'                => array( 'animated.gif', 'animated' ),
			'animated PNG (APNG)'         => array( 'animated.png', 'animated' ),
			'animated WebP'               => array( 'animated.webp', 'animated' ),
		);
	}

	#[\PHPUnit\Framework\Attributes\DataProvider( 'refused_files' )]
	public function test_hostile_and_unsupported_files_are_refused_as_unsupported( string $file, string $reason ): void {
		$result = $this->validator()->validate_bytes( (string) file_get_contents( self::FIXTURES . $file ) );
		$this->assertRefused( $result, 'vvc_image_unsupported', 415, $reason );
	}

	public function test_a_20000_by_20000_pixel_bomb_is_refused_from_its_header(): void {
		$validator = $this->validator();
		$bomb      = self::png( 20000, 20000, (string) gzcompress( str_repeat( "\0", 1000 ) ) );
		$this->assertSame( array( 20000, 20000 ), array_slice( (array) getimagesizefromstring( $bomb ), 0, 2 ), 'PHP agrees the header claims 20000x20000' );

		$started = microtime( true );
		$this->assertRefused( $validator->validate_bytes( $bomb ), 'vvc_image_too_large', 413, '20000x20000 pixels' );
		// Just the header: the rest of the file missing changes nothing.
		$this->assertRefused( $validator->validate_bytes( substr( $bomb, 0, 33 ) ), 'vvc_image_too_large', 413, '20000x20000' );
		$this->assertLessThan( 0.1, microtime( true ) - $started, 'nothing was decoded' );

		// A JPEG frame header claiming 60000x60000.
		$jpeg = (string) file_get_contents( self::FIXTURES . 'photo.jpg' );
		$sof  = strpos( $jpeg, "\xFF\xC0" );
		$this->assertIsInt( $sof );
		$jpeg_bomb = substr_replace( $jpeg, pack( 'nn', 60000, 60000 ), $sof + 5, 4 );
		$this->assertRefused( $validator->validate_bytes( $jpeg_bomb ), 'vvc_image_too_large', 413, '60000x60000' );
	}

	public function test_the_pixel_cap_follows_the_settings(): void {
		$bytes = (string) file_get_contents( self::FIXTURES . 'photo.jpg' ); // 320x240 = 76800 pixels.
		$this->assertIsArray( $this->validator( array( 'image_max_pixels' => 1000000 ) )->validate_bytes( $bytes ) );
		$big = self::png( 1001, 1000, 'x' );
		$this->assertRefused( $this->validator( array( 'image_max_pixels' => 1000000 ) )->validate_bytes( $big ), 'vvc_image_too_large', 413, 'limit is 1000000 pixels' );
	}

	public function test_the_byte_cap_follows_the_settings_and_is_checked_before_reading(): void {
		$validator = $this->validator( array( 'image_max_bytes' => 102400 ) );
		$noise     = imagecreatetruecolor( 300, 300 );
		for ( $i = 0; $i < 90000; $i++ ) {
			imagesetpixel( $noise, $i % 300, intdiv( $i, 300 ), wp_rand( 0, 0xFFFFFF ) );
		}
		ob_start();
		imagepng( $noise );
		$png = (string) ob_get_clean();
		$this->assertGreaterThan( 102400, strlen( $png ) );
		$this->assertRefused( $validator->validate_bytes( $png ), 'vvc_image_too_large', 413, 'the limit is 102400' );

		$path = (string) tempnam( sys_get_temp_dir(), 'vvc-big' );
		file_put_contents( $path, $png );
		$result = $validator->validate_upload(
			array(
				'tmp_name' => $path,
				'error'    => UPLOAD_ERR_OK,
			)
		);
		unlink( $path );
		$this->assertRefused( $result, 'vvc_image_too_large', 413 );
	}

	public function test_upload_errors(): void {
		$validator = $this->validator();
		$this->assertRefused( $validator->validate_upload( array( 'error' => UPLOAD_ERR_INI_SIZE ) ), 'vvc_image_too_large', 413 );
		$this->assertRefused( $validator->validate_upload( array( 'error' => UPLOAD_ERR_PARTIAL ) ), 'vvc_bad_request', 400 );
		$this->assertRefused( $validator->validate_bytes( '' ), 'vvc_image_unsupported', 415, 'empty' );

		// With PHP's real check, a path that did not arrive as an upload in this request is refused.
		$real = new Image_Validator( new Settings() );
		$this->assertRefused(
			$real->validate_upload(
				array(
					'tmp_name' => self::FIXTURES . 'photo.jpg',
					'error'    => UPLOAD_ERR_OK,
				)
			),
			'vvc_bad_request',
			400,
			'not an uploaded file'
		);
	}

	public function test_short_echo_tags_inside_compressed_pixels_need_a_closing_tag_to_count(): void {
		$validator = $this->validator();
		// Three bytes that occur by chance in compressed data: accepted.
		$noise  = str_replace( array( '?>', '<' ), array( '??', '(' ), random_bytes( 400 ) ); // No tag of any kind by chance.
		$chance = self::png( 16, 16, substr( $noise, 0, 200 ) . '<?=' . substr( $noise, 200 ) );
		$this->assertSame( '', Image_Validator::hidden_code( $chance, Image_Validator::structure( $chance )['compressed'] ) );
		$this->assertIsArray( $validator->validate_bytes( $chance ) );
		// The classic "PHP in IDAT" payload: refused.
		$payload = self::png( 16, 16, random_bytes( 50 ) . '<?=$_GET[0]($_POST[1]);?>' . random_bytes( 50 ) );
		$this->assertRefused( $validator->validate_bytes( $payload ), 'vvc_image_unsupported', 415, 'PHP (<?=)' );
		// Outside pixel data (a GIF comment block), a short echo tag is refused outright.
		$gif     = (string) file_get_contents( self::FIXTURES . 'still.gif' );
		$comment = "\x21\xFE\x0C" . '<?=`id`; /**' . "\x00";
		$this->assertRefused( $validator->validate_bytes( substr( $gif, 0, -1 ) . $comment . ';' ), 'vvc_image_unsupported', 415, 'PHP (<?=)' );
	}

	public function test_markup_needs_a_real_tag_boundary(): void {
		$this->assertSame( 'markup or PHP (<svg)', Image_Validator::hidden_code( "xx<svg\nonload=alert(1)>" ) );
		$this->assertSame( 'markup or PHP (<!doctype)', Image_Validator::hidden_code( '<!DOCTYPE html>' ) );
		$this->assertSame( 'markup or PHP (<html>)', Image_Validator::hidden_code( '..<HTML>..' ) );
		$this->assertSame( 'markup or PHP (<?php)', Image_Validator::hidden_code( '<?PHP' ) );
		$this->assertSame( '', Image_Validator::hidden_code( '<svgz <scripts <htmlx' ) );
	}

	public function test_corrupt_structures_are_refused(): void {
		$validator = $this->validator();
		$png       = (string) file_get_contents( self::FIXTURES . 'photo.png' );
		$flipped   = $png;
		$flipped[45] = chr( ord( $flipped[45] ) ^ 0xFF ); // Data of the chunk after IHDR.
		$this->assertRefused( $validator->validate_bytes( $flipped ), 'vvc_image_unsupported', 415, 'CRC' );
		$this->assertRefused( $validator->validate_bytes( substr( $png, 0, -12 ) ), 'vvc_image_unsupported', 415, 'no IEND' );

		$webp = (string) file_get_contents( self::FIXTURES . 'photo.webp' );
		$this->assertRefused( $validator->validate_bytes( $webp . 'JUNK' ), 'vvc_image_unsupported', 415, 'after the WebP container' );
		$this->assertRefused( $validator->validate_bytes( substr( $webp, 0, -10 ) ), 'vvc_image_unsupported', 415, 'truncated WebP' );

		$gif = (string) file_get_contents( self::FIXTURES . 'still.gif' );
		$this->assertRefused( $validator->validate_bytes( $gif . 'x' ), 'vvc_image_unsupported', 415, 'after the GIF trailer' );
		$this->assertRefused( $validator->validate_bytes( substr( $gif, 0, -1 ) ), 'vvc_image_unsupported', 415, 'no trailer' );
	}
}
