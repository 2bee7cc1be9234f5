// The wasi_snapshot_preview1 ABI as plain constants: errno values, rights,
// flag bits and the byte layout of every struct the host reads or writes.
// Values come from the witx definitions; the older wasi_unstable (snapshot
// 0) shares all of them except where marked.
#pragma once
#include <cstdint>

namespace wisp::wasi {

enum class Errno : uint16_t {
  Success = 0, TooBig = 1, Acces = 2, AddrInUse = 3, AddrNotAvail = 4, AfNoSupport = 5,
  Again = 6, Already = 7, Badf = 8, BadMsg = 9, Busy = 10, Canceled = 11, Child = 12,
  ConnAborted = 13, ConnRefused = 14, ConnReset = 15, Deadlk = 16, DestAddrReq = 17,
  Dom = 18, Dquot = 19, Exist = 20, Fault = 21, Fbig = 22, HostUnreach = 23, Idrm = 24,
  Ilseq = 25, InProgress = 26, Intr = 27, Inval = 28, Io = 29, IsConn = 30, IsDir = 31,
  Loop = 32, Mfile = 33, Mlink = 34, MsgSize = 35, Multihop = 36, NameTooLong = 37,
  NetDown = 38, NetReset = 39, NetUnreach = 40, Nfile = 41, NoBufs = 42, NoDev = 43,
  NoEnt = 44, NoExec = 45, NoLck = 46, NoLink = 47, NoMem = 48, NoMsg = 49,
  NoProtoOpt = 50, NoSpc = 51, NoSys = 52, NotConn = 53, NotDir = 54, NotEmpty = 55,
  NotRecoverable = 56, NotSock = 57, NotSup = 58, NotTy = 59, Nxio = 60, Overflow = 61,
  OwnerDead = 62, Perm = 63, Pipe = 64, Proto = 65, ProtoNoSupport = 66, ProtoType = 67,
  Range = 68, Rofs = 69, Spipe = 70, Srch = 71, Stale = 72, TimedOut = 73, TxtBsy = 74,
  Xdev = 75, NotCapable = 76,
};

using Rights = uint64_t;
namespace right {
inline constexpr Rights FdDatasync = 1ull << 0;
inline constexpr Rights FdRead = 1ull << 1;
inline constexpr Rights FdSeek = 1ull << 2;
inline constexpr Rights FdFdstatSetFlags = 1ull << 3;
inline constexpr Rights FdSync = 1ull << 4;
inline constexpr Rights FdTell = 1ull << 5;
inline constexpr Rights FdWrite = 1ull << 6;
inline constexpr Rights FdAdvise = 1ull << 7;
inline constexpr Rights FdAllocate = 1ull << 8;
inline constexpr Rights PathCreateDirectory = 1ull << 9;
inline constexpr Rights PathCreateFile = 1ull << 10;
inline constexpr Rights PathLinkSource = 1ull << 11;
inline constexpr Rights PathLinkTarget = 1ull << 12;
inline constexpr Rights PathOpen = 1ull << 13;
inline constexpr Rights FdReaddir = 1ull << 14;
inline constexpr Rights PathReadlink = 1ull << 15;
inline constexpr Rights PathRenameSource = 1ull << 16;
inline constexpr Rights PathRenameTarget = 1ull << 17;
inline constexpr Rights PathFilestatGet = 1ull << 18;
inline constexpr Rights PathFilestatSetSize = 1ull << 19;
inline constexpr Rights PathFilestatSetTimes = 1ull << 20;
inline constexpr Rights FdFilestatGet = 1ull << 21;
inline constexpr Rights FdFilestatSetSize = 1ull << 22;
inline constexpr Rights FdFilestatSetTimes = 1ull << 23;
inline constexpr Rights PathSymlink = 1ull << 24;
inline constexpr Rights PathRemoveDirectory = 1ull << 25;
inline constexpr Rights PathUnlinkFile = 1ull << 26;
inline constexpr Rights PollFdReadwrite = 1ull << 27;
inline constexpr Rights SockShutdown = 1ull << 28;
inline constexpr Rights SockAccept = 1ull << 29;
inline constexpr Rights All = (1ull << 30) - 1;

// What each kind of descriptor can ever hold. Opening masks the requested
// rights with these, so fd_fdstat_get reports only rights that mean
// something for the object (what libc's and Rust's std expect).
inline constexpr Rights RegularFile =
    FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdWrite | FdAdvise |
    FdAllocate | FdFilestatGet | FdFilestatSetSize | FdFilestatSetTimes | PollFdReadwrite;
inline constexpr Rights Directory =
    FdFdstatSetFlags | FdSync | FdAdvise | PathCreateDirectory | PathCreateFile |
    PathLinkSource | PathLinkTarget | PathOpen | FdReaddir | PathReadlink | PathRenameSource |
    PathRenameTarget | PathFilestatGet | PathFilestatSetSize | PathFilestatSetTimes |
    FdFilestatGet | FdFilestatSetTimes | PathSymlink | PathRemoveDirectory | PathUnlinkFile |
    PollFdReadwrite;
inline constexpr Rights DirectoryInheriting = Directory | RegularFile;
inline constexpr Rights Tty = FdRead | FdFdstatSetFlags | FdWrite | FdFilestatGet | PollFdReadwrite;
inline constexpr Rights Socket =
    FdRead | FdFdstatSetFlags | FdWrite | FdFilestatGet | PollFdReadwrite | SockShutdown;
inline constexpr Rights ListenSocket = Socket | SockAccept;
}  // namespace right

enum class Filetype : uint8_t {
  Unknown = 0, BlockDevice = 1, CharacterDevice = 2, Directory = 3, RegularFile = 4,
  SocketDgram = 5, SocketStream = 6, SymbolicLink = 7,
};

namespace fdflags {
inline constexpr uint16_t Append = 1, Dsync = 2, Nonblock = 4, Rsync = 8, Sync = 16;
inline constexpr uint16_t All = 31;
}
namespace oflags {
inline constexpr uint16_t Creat = 1, Directory = 2, Excl = 4, Trunc = 8;
inline constexpr uint16_t All = 15;
}
namespace fstflags {
inline constexpr uint16_t Atim = 1, AtimNow = 2, Mtim = 4, MtimNow = 8;
inline constexpr uint16_t All = 15;
}
namespace lookupflags {
inline constexpr uint32_t SymlinkFollow = 1;
}
namespace riflags {
inline constexpr uint16_t RecvPeek = 1, RecvWaitall = 2;
}
namespace roflags {
inline constexpr uint16_t RecvDataTruncated = 1;
}
namespace sdflags {
inline constexpr uint8_t Rd = 1, Wr = 2;
}

enum class ClockId : uint32_t { Realtime = 0, Monotonic = 1, ProcessCputime = 2, ThreadCputime = 3 };
enum class Advice : uint8_t { Normal = 0, Sequential = 1, Random = 2, WillNeed = 3, DontNeed = 4, NoReuse = 5 };
enum class EventType : uint8_t { Clock = 0, FdRead = 1, FdWrite = 2 };
inline constexpr uint16_t kEventRwHangup = 1;
inline constexpr uint16_t kSubclockAbstime = 1;
inline constexpr uint8_t kPreopenTypeDir = 0;

// preview1 whence: SET=0, CUR=1, END=2. wasi_unstable: CUR=0, END=1, SET=2.
enum class Whence : uint8_t { Set = 0, Cur = 1, End = 2 };

// ---- struct layouts (byte offsets; all little endian) ------------------------
namespace layout {
// iovec / ciovec: { buf: u32, buf_len: u32 }
inline constexpr uint32_t kIovecSize = 8;
// fdstat
inline constexpr uint32_t kFdstatSize = 24;
inline constexpr uint32_t kFdstatFiletype = 0, kFdstatFlags = 2, kFdstatRightsBase = 8,
                          kFdstatRightsInheriting = 16;
// prestat: { tag: u8, pr_name_len: u32 @4 }
inline constexpr uint32_t kPrestatSize = 8;
// dirent header, followed by the name
inline constexpr uint32_t kDirentSize = 24;
inline constexpr uint32_t kDirentNext = 0, kDirentIno = 8, kDirentNamlen = 16, kDirentType = 20;
// event: { userdata u64, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24 }
inline constexpr uint32_t kEventSize = 32;

// filestat differs: preview1 has a 64-bit nlink, wasi_unstable a 32-bit one.
struct Filestat {
  uint32_t size, dev, ino, filetype, nlink, nlink_bytes, fsize, atim, mtim, ctim;
};
inline constexpr Filestat kFilestatP1{64, 0, 8, 16, 24, 8, 32, 40, 48, 56};
inline constexpr Filestat kFilestatUnstable{56, 0, 8, 16, 20, 4, 24, 32, 40, 48};

// subscription: userdata u64 @0, tag u8 @8, then the union. wasi_unstable's
// clock variant carries an extra 8-byte "identifier" before the clock id.
struct Subscription {
  uint32_t size, clock_id, clock_timeout, clock_precision, clock_flags, fd;
};
inline constexpr Subscription kSubscriptionP1{48, 16, 24, 32, 40, 16};
inline constexpr Subscription kSubscriptionUnstable{56, 24, 32, 40, 48, 16};
}  // namespace layout

}  // namespace wisp::wasi
