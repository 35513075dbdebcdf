/**
 * Model answers as safe HTML: Markdown parsed by marked, the result sanitized by DOMPurify.
 *
 * Model output is untrusted (a prompt can make it echo anything), so two layers:
 * - marked never passes raw HTML through: HTML in an answer is shown as text;
 * - DOMPurify then keeps only the tags and attributes a chat reply needs, and links only
 *   when they are http(s), opened in a new tab with rel="noopener nofollow ugc".
 * Images in answers become plain links: loading them would let a crafted answer send the
 * conversation to a third-party server inside an image URL.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import type { Tokens } from 'marked';

const ALLOWED_TAGS = [
	'p',
	'br',
	'strong',
	'em',
	'del',
	'code',
	'pre',
	'blockquote',
	'ul',
	'ol',
	'li',
	'a',
	'hr',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td',
];
const ALLOWED_ATTR = [ 'href', 'title', 'start', 'align', 'class' ];
const LINK_REL = 'noopener nofollow ugc';

function escapeHtml( text: string ): string {
	return text
		.replace( /&/g, '&amp;' )
		.replace( /</g, '&lt;' )
		.replace( />/g, '&gt;' )
		.replace( /"/g, '&quot;' );
}

const parser = new Marked( {
	gfm: true,
	// Chat answers use single line breaks as breaks.
	breaks: true,
	renderer: {
		html( token: Tokens.HTML | Tokens.Tag ): string {
			const text = escapeHtml( token.text );
			return token.block ? `<p>${ text }</p>` : text;
		},
		image( token: Tokens.Image ): string {
			const label = escapeHtml( token.text || token.href );
			return `<a href="${ escapeHtml( token.href ) }">${ label }</a>`;
		},
		// Headings inside a reply would join the page's outline: show them as bold lines.
		heading( token: Tokens.Heading ): string {
			return `<p class="vvc-chat__heading"><strong>${ this.parser.parseInline(
				token.tokens
			) }</strong></p>`;
		},
	},
} );

const purifier = DOMPurify();
purifier.addHook( 'afterSanitizeAttributes', ( node ) => {
	if ( node.nodeName === 'A' && node.hasAttribute( 'href' ) ) {
		node.setAttribute( 'rel', LINK_REL );
		node.setAttribute( 'target', '_blank' );
	}
	if ( node.hasAttribute( 'class' ) ) {
		// Only the plugin's own class names: an answer must not borrow the theme's styles.
		const own = ( node.getAttribute( 'class' ) ?? '' )
			.split( /\s+/ )
			.filter( ( name ) => name.startsWith( 'vvc-chat__' ) );
		if ( own.length ) {
			node.setAttribute( 'class', own.join( ' ' ) );
		} else {
			node.removeAttribute( 'class' );
		}
	}
} );

/**
 * Renders Markdown to HTML that is safe to insert with innerHTML.
 *
 * @param markdown The model's answer, possibly incomplete while it streams.
 */
export function renderMarkdown( markdown: string ): string {
	const html = parser.parse( markdown, { async: false } );
	return purifier.sanitize( html, {
		ALLOWED_TAGS,
		ALLOWED_ATTR,
		// Only absolute http(s) URLs survive; anything else loses its href and is plain text.
		ALLOWED_URI_REGEXP: /^https?:\/\//i,
	} );
}
