"""A minimal reader of 32-bit little-endian ELF files (Cortex-M and RV32 images and objects), stdlib only.

Used by footprint.py (section kinds, symbols of the linked image) and stack_chain.py (address-taken
functions from object relocations, the model tables of the image).
"""
import struct

SHT_PROGBITS, SHT_SYMTAB, SHT_RELA, SHT_NOBITS, SHT_REL = 1, 2, 4, 8, 9
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 0x1, 0x2, 0x4
STT_OBJECT, STT_FUNC, STT_SECTION = 1, 2, 3
EM_ARM, EM_RISCV = 40, 243


class Section:
    def __init__(self, index, name, sh_type, flags, addr, offset, size, link, info):
        self.index, self.name, self.type, self.flags = index, name, sh_type, flags
        self.addr, self.offset, self.size, self.link, self.info = addr, offset, size, link, info

    @property
    def kind(self):
        """'text', 'data' or 'bss' as Berkeley size(1) counts them; None when not loaded."""
        if not self.flags & SHF_ALLOC:
            return None
        if self.type == SHT_NOBITS:
            return "bss"
        return "data" if self.flags & SHF_WRITE else "text"


class Symbol:
    def __init__(self, name, value, size, sym_type, bind, shndx):
        self.name, self.value, self.size, self.type, self.bind, self.shndx = name, value, size, sym_type, bind, shndx


class Relocation:
    def __init__(self, section, offset, sym, rel_type):
        self.section, self.offset, self.symbol, self.type = section, offset, sym, rel_type


class Elf:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 1 or d[5] != 1:
            raise ValueError("%s: not a 32-bit little-endian ELF file" % path)
        self.path = path
        self.type, self.machine = struct.unpack_from("<HH", d, 16)
        shoff = struct.unpack_from("<I", d, 32)[0]
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 46)
        raw = [struct.unpack_from("<10I", d, shoff + i * shentsize) for i in range(shnum)]
        strtab = raw[shstrndx]
        self.sections = [Section(i, self._string(strtab[4], r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7])
                         for i, r in enumerate(raw)]
        self.symbols = []
        for s in self.sections:
            if s.type == SHT_SYMTAB:
                names = self.sections[s.link]
                for off in range(s.offset, s.offset + s.size, 16):
                    name, value, size, info, _other, shndx = struct.unpack_from("<IIIBBH", d, off)
                    self.symbols.append(Symbol(self._string(names.offset, name), value, size, info & 0xF,
                                               info >> 4, shndx))

    def _string(self, table_offset, index):
        end = self.data.index(b"\0", table_offset + index)
        return self.data[table_offset + index:end].decode("utf-8", "replace")

    def relocations(self):
        """Every relocation of a relocatable object: (Relocation) with the symbol resolved."""
        out = []
        for s in self.sections:
            if s.type not in (SHT_REL, SHT_RELA):
                continue
            entry = 8 if s.type == SHT_REL else 12
            target = self.sections[s.info]
            for off in range(s.offset, s.offset + s.size, entry):
                r_offset, r_info = struct.unpack_from("<II", self.data, off)
                out.append(Relocation(target, r_offset, self.symbols[r_info >> 8], r_info & 0xFF))
        return out

    def read(self, addr, size):
        """Bytes of the loaded image at a virtual address (initialised sections only)."""
        for s in self.sections:
            if s.flags & SHF_ALLOC and s.type != SHT_NOBITS and s.addr <= addr and addr + size <= s.addr + s.size:
                at = s.offset + addr - s.addr
                return self.data[at:at + size]
        raise KeyError("address 0x%x (+%d) is not in an initialised section of %s" % (addr, size, self.path))

    def u32(self, addr):
        return struct.unpack("<I", self.read(addr, 4))[0]

    def u16(self, addr):
        return struct.unpack("<H", self.read(addr, 2))[0]
