/*
 * The bundled dataset, compiled into the binary so that `oligo init`
 * works from any folder.  Each CSV becomes oligo_data_NAME ..
 * oligo_data_NAME_end in read-only data, followed by a NUL.
 */
	.macro	csv name
	.section .rodata
	.global	oligo_data_\name
	.global	oligo_data_\name\()_end
	.balign	16
oligo_data_\name:
	.incbin	"data/\name\().csv"
oligo_data_\name\()_end:
	.byte	0
	.endm

	csv	entities
	csv	aliases
	csv	alliances
	csv	memberships
	csv	markets
	csv	shares
	csv	holdings
	csv	deals
	csv	compute
	csv	cases
	csv	case_events
	csv	models
	csv	cusips

	.section .note.GNU-stack,"",@progbits
